package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/INTEGRATIONS.md are scripts in docs/examples/, run here as a user runs them
 * ({@code vault} on the PATH): the boundary daemon set-up against a stand-in daemon on a real Unix
 * socket, and the approval queue from the agent's pending request to its approved recall.
 */
@org.junit.jupiter.api.Tag("slow")
class DocExamplesIT {
    @TempDir Path tmp;

    record Done(int exit, String output) {}

    private Done script(String name, Map<String, String> env, String... args) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path vault = bin.resolve("vault");
        Files.writeString(vault, "#!/bin/sh\nexec " + Launcher.VAULT + " \"$@\"\n");
        Files.setPosixFilePermissions(vault, PosixFilePermissions.fromString("rwx------"));
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("setsid", "bash",
                Launcher.REPO.resolve("docs/examples").resolve(name).toString()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("MEMORY_VAULT_HOME");
        pb.environment().remove("MEMORY_VAULT_PASSPHRASE_FILE");
        pb.environment().remove("MEMORY_VAULT_PRINCIPAL_FILE");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Done(p.exitValue(), out);
    }

    @Test
    void theBoundaryDaemonSetUp_configuresTheDaemonGuard_andRecallsAskTheDaemonWithTheToken() throws Exception {
        Path home = tmp.resolve("vault");
        Path pass = Launcher.secretFile(tmp.resolve("owner.pass"), "the owner's passphrase");
        Launcher.initInProcess(home, java.util.Optional.of(pass), true);
        Path socket = tmp.resolve("boundary.sock");
        String token = "bd_" + "T".repeat(43);
        Path tokenSource = Launcher.secretFile(tmp.resolve("token.txt"), token + "\n");
        AtomicReference<String> lastCheck = new AtomicReference<>();
        try (GatesCliIT.MiniDaemon daemon = new GatesCliIT.MiniDaemon(socket, req -> {
            if (req.contains("\"status\"")) {
                return "{\"success\":true,\"status\":{\"boundary_state\":{\"mode\":\"airgap\",\"network\":\"offline\"},\"lockdown\":null}}";
            }
            lastCheck.set(req);
            return "{\"success\":true,\"permitted\":true,\"reason\":\"Recall permitted\"}";
        })) {
            Done setup = script("boundary-daemon-setup.sh", Map.of("MEMORY_VAULT_HOME", home.toString(),
                    "MEMORY_VAULT_PASSPHRASE_FILE", pass.toString()), socket.toString(), tokenSource.toString());
            assertThat(setup.exit()).as(setup.output()).isZero();
            assertThat(setup.output()).contains("boundary daemon: mode airgap, network offline");
            assertThat(Files.getPosixFilePermissions(home.resolve("boundary.token"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            Launcher v = new Launcher(home);
            String id = new String(v.run("store", "--content", "level one").stdout(), StandardCharsets.UTF_8).strip();
            Launcher.Run recall = v.run("recall", id, "--justification", "after the set-up");
            assertThat(recall.exit()).as(recall.toString()).isZero();
            assertThat(lastCheck.get()).contains("check_recall").contains(token);
        }
    }

    @Test
    void theApprovalQueue_fromPendingToApprovedRecall() throws Exception {
        Done queue = script("approval-queue.sh", Map.of());
        assertThat(queue.exit()).as(queue.output()).isZero();
        assertThat(queue.output()).contains("pending: ").contains("approved ").endsWith("the contract draft\n");
    }
}
