package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The recovery procedure of docs/RECOVERY.md, as shipped: docs/recovery/check.sh makes a vault with
 * this build's launcher and recovers every memory with docs/recovery/recover.py (Python and PyNaCl,
 * no vault code), the WAL case and a vault without a passphrase included. Needs {@code python3}
 * with PyNaCl (Debian: python3-nacl); without it the test is skipped, unless
 * {@code VAULT_REQUIRE_PYNACL=1} (as {@code .ci/run} sets), which makes a missing PyNaCl a failure.
 */
@org.junit.jupiter.api.Tag("slow")
class RecoveryScriptIT {
    @Test
    void theShippedScript_recoversEveryMemoryOfAVaultTheCliMade() throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        boolean nacl = new ProcessBuilder(python, "-c", "import nacl.pwhash, nacl.bindings").start().waitFor() == 0;
        if ("1".equals(System.getenv("VAULT_REQUIRE_PYNACL"))) {
            assertThat(nacl).as(python + " with PyNaCl (apt-get install python3-nacl)").isTrue();
        }
        assumeTrue(nacl, "python3 with PyNaCl is not installed (apt-get install python3-nacl)");
        ProcessBuilder pb = new ProcessBuilder("bash", Launcher.REPO.resolve("docs/recovery/check.sh").toString(), Launcher.VAULT.toString())
                .redirectErrorStream(true);
        pb.environment().put("PYTHON", python);
        pb.environment().remove("MEMORY_VAULT_HOME");
        pb.environment().remove("MEMORY_VAULT_PASSPHRASE_FILE");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String shown = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(shown).isZero();
        assertThat(shown).contains("recovery check: OK");
    }
}
