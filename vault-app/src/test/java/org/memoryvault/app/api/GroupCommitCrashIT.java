package org.memoryvault.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.app.cli.ScratchDirs;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.audit.AuditRecord;
import org.memoryvault.domain.model.AuditEvent;

/**
 * Group commit under a crash: a separate JVM stores memories from 16 threads through the
 * embeddable API and is killed with SIGKILL at a random moment, three times over. Every store that
 * returned before the kill (the child prints its id only then) is in the vault, with its audit
 * entry, and the audit log verifies.
 */
class GroupCommitCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITERS = 16;
    @TempDir Path tmp;

    @Test
    void killedUnder16Writers_everyReturnedStoreIsDurable_andTheAuditLogVerifies() throws Exception {
        Path home = tmp.resolve("vault");
        Path ownerPass = tmp.resolve("owner.pass");
        Files.createFile(ownerPass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(ownerPass, "the owner's passphrase");
        ScratchDirs.Out init = ScratchDirs.run(home, "init", "--new-passphrase-file", ownerPass.toString(), "--kdf-preset", "interactive");
        assertThat(init.exit()).as(init.toString()).isZero();
        ScratchDirs.Out added = ScratchDirs.run(home, "principal", "add", "writer", "--clearance", "1", "--passphrase-file",
                ownerPass.toString(), "--json");
        assertThat(added.exit()).as(added.toString()).isZero();
        Path credential = Path.of(JSON.readTree(added.out()).get("credential_file").asText());

        SplittableRandom random = new SplittableRandom();
        Set<String> returned = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            int killAfter = 100 + random.nextInt(600);        // stores reported before the kill: a random moment
            returned.addAll(runAndKill(home, credential, killAfter));

            Map<String, Long> audited = storeEntries(home, credential);
            assertThat(audited.keySet()).as("round %d: every store that returned has its audit entry", round).containsAll(returned);
            try (MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.principal(credential))) {
                for (String id : returned) assertThat(vault.info(id).classification()).isEqualTo(1);
            }
            ScratchDirs.Out verify = ScratchDirs.run(home, "audit", "verify");
            assertThat(verify.exit()).as("round %d: %s", round, verify).isZero();
        }
        assertThat(returned).hasSizeGreaterThanOrEqualTo(300);
    }

    /** Starts the writers, waits until {@code killAfter} stores returned, kills the JVM with SIGKILL; the ids it reported. */
    private static List<String> runAndKill(Path home, Path credential, int killAfter) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, ConcurrentStoresMain.class.getName(),
                home.toString(), credential.toString(), Integer.toString(WRITERS))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> ids = new ArrayList<>();
        try {
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (!line.startsWith("stored ")) continue;
                        synchronized (ids) {
                            ids.add(line.substring("stored ".length()));
                            if (ids.size() == killAfter) child.destroyForcibly();     // SIGKILL, with writers mid-commit
                        }
                    }
                } catch (java.io.IOException e) {
                    // the pipe closes with the process
                }
            });
            reading.get(120, TimeUnit.SECONDS);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        } finally {
            child.destroyForcibly();
        }
        synchronized (ids) {
            assertThat(ids).as("the child stored before it was killed").hasSizeGreaterThanOrEqualTo(killAfter);
            return List.copyOf(ids);
        }
    }

    /** Memory id to audit index of every store entry in the log. */
    private static Map<String, Long> storeEntries(Path home, Path credential) throws Exception {
        Map<String, Long> out = new java.util.HashMap<>();
        try (Vault vault = Vault.open(new VaultOptions(home, Optional.empty(), Optional.empty(), Optional.of(credential), Map.of(),
                Optional.empty()))) {
            for (AuditRecord e : vault.component().auditQueries().log(Optional.empty(), Optional.of(AuditEvent.STORE), 100_000)) {
                out.put(JSON.readTree(e.entry()).path("memory_id").asText(), e.index());
            }
        }
        return out;
    }
}
