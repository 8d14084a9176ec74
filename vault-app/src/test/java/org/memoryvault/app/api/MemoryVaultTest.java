package org.memoryvault.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.app.cli.ScratchDirs;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;

/**
 * The embeddable API on a real vault (SQLite, libsodium), set up with the CLI in-process: the
 * documented example runs, a principal's clearance bounds it, the approval loop works, concurrent
 * callers all land, and the audit log verifies afterwards.
 */
class MemoryVaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    Path home;
    Path ownerPass;

    ScratchDirs.Out cli(String... args) { return ScratchDirs.run(home, args); }

    @BeforeEach
    void vault() throws Exception {
        home = tmp.resolve("vault");
        ownerPass = tmp.resolve("owner.pass");
        Files.createFile(ownerPass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(ownerPass, "the owner's passphrase");
        ScratchDirs.Out init = cli("init", "--new-passphrase-file", ownerPass.toString(), "--kdf-preset", "interactive");
        assertThat(init.exit()).as(init.toString()).isZero();
    }

    Path principal(String name, int clearance) throws Exception {
        ScratchDirs.Out added = cli("principal", "add", name, "--clearance", Integer.toString(clearance), "--passphrase-file", ownerPass.toString(),
                "--json");
        assertThat(added.exit()).as(added.toString()).isZero();
        return Path.of(JSON.readTree(added.out()).get("credential_file").asText());
    }

    @Test
    void theDocumentedExampleRuns_andThePageShowsItsCode() throws Exception {
        Path credential = principal("builder", 2);
        PrintStream before = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            EmbeddingExample.main(new String[] {home.toString(), credential.toString()});
        } finally {
            System.setOut(before);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("the build needs JDK 17\n").contains("build");

        String page = Files.readString(docs().resolve("EMBEDDING.md"));
        String code = Files.readString(Path.of("src/test/java/org/memoryvault/app/api/EmbeddingExample.java"));
        String body = code.substring(code.indexOf("public final class"));
        assertThat(page).as("docs/EMBEDDING.md shows EmbeddingExample.java").contains(body.strip());
    }

    @Test
    void aPrincipalsClearanceBoundsEveryCall_andARefusedStoreLeavesNothing() throws Exception {
        Path credential = principal("reader", 1);
        try (MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.principal(credential))) {
            String low = vault.store("low".getBytes(StandardCharsets.UTF_8), 1, null);
            assertThat(vault.recall(low, "test").content()).isEqualTo("low".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> vault.store("high".getBytes(StandardCharsets.UTF_8), 2, null))
                    .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_CLEARANCE));
        }
        ScratchDirs.Out list = cli("list", "--json");
        assertThat(JSON.readTree(list.out()).get("memories")).hasSize(1);
        assertThat(cli("audit", "verify").exit()).isZero();
    }

    @Test
    void aLevel3RecallWaitsForTheOwner_thenOpensOnceApproved() throws Exception {
        assertThat(cli("config", "set", "approval.gate", "queue", "--passphrase-file", ownerPass.toString()).exit()).isZero();
        // level 3 wants the network off; this machine's interfaces stay up, so the owner names them to ignore
        String interfaces = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .map(java.net.NetworkInterface::getName).sorted().collect(java.util.stream.Collectors.joining(","));
        assertThat(cli("config", "set", "boundary.local.ignore-interfaces", interfaces, "--passphrase-file", ownerPass.toString()).exit())
                .isZero();
        Path credential = principal("planner", 3);
        try (MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.principal(credential))) {
            String id = vault.store("the contract draft".getBytes(StandardCharsets.UTF_8), 3, "{\"topic\":\"contract\"}");
            MemoryVault.Recall pending = vault.recall(id, "review the contract");
            assertThat(pending.granted()).isFalse();
            assertThat(pending.content()).isEmpty();
            String approval = pending.approvalId().orElseThrow();
            ScratchDirs.Out approved = cli("approvals", "approve", approval, "--passphrase-file", ownerPass.toString());
            assertThat(approved.exit()).as(approved.toString()).isZero();
            MemoryVault.Recall granted = vault.recall(id, "review the contract", approval);
            assertThat(granted.granted()).isTrue();
            assertThat(new String(granted.content(), StandardCharsets.UTF_8)).isEqualTo("the contract draft");
        }
    }

    @Test
    void concurrentCallersAllLand_andTheAuditLogVerifies() throws Exception {
        Path credential = principal("crowd", 2);
        List<String> ids = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.principal(credential))) {
            List<Future<String>> stored = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                stored.add(pool.submit(() -> vault.store(("memory " + n).getBytes(StandardCharsets.UTF_8), 2, "{\"n\":" + n + "}")));
            }
            for (Future<String> f : stored) ids.add(f.get());
            List<Future<byte[]>> recalled = new ArrayList<>();
            for (String id : ids) recalled.add(pool.submit(() -> vault.recall(id, "count").content()));
            for (int i = 0; i < ids.size(); i++) assertThat(new String(recalled.get(i).get(), StandardCharsets.UTF_8)).isEqualTo("memory " + i);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(64);
        ScratchDirs.Out verify = cli("audit", "verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
    }

    @Test
    void theOwnersFirstCallsAtOnce_shareOneUnlock_andAllLand() throws Exception {
        for (int round = 0; round < 3; round++) {                  // each round a cold key cache: every caller misses it at once
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try (MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.owner())) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<Future<String>> stored = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    int n = i;
                    stored.add(pool.submit(() -> {
                        go.await();
                        return vault.store(("owner " + n).getBytes(StandardCharsets.UTF_8), 1, null);
                    }));
                }
                go.countDown();
                for (Future<String> f : stored) assertThat(f.get()).isNotBlank();     // none failed with a key closed under it
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aClosedVaultRefusesFurtherCalls() throws Exception {
        Path credential = principal("brief", 1);
        MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.principal(credential));
        vault.close();
        vault.close();
        assertThatThrownBy(() -> vault.search("x", 1)).isInstanceOf(IllegalStateException.class);
    }

    private static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        return here.getParent().resolve("docs");
    }
}
