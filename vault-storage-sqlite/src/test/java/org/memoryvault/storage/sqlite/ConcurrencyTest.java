package org.memoryvault.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.SearchQuery;

class ConcurrencyTest {
    @TempDir Path dir;

    @Test
    void twoThreads_storingAndRecallingAtOnce_bothSucceed() throws Exception {
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            new SqliteProfileRepository(db).create(new Fixtures(0).profile(Fixtures.PROFILE));
            SqliteMemoryRepository memories = new SqliteMemoryRepository(db);
            SqliteTransactions tx = new SqliteTransactions(db);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long seed = 100 + w;
                workers.add(CompletableFuture.runAsync(() -> {
                    Fixtures f = new Fixtures(seed);
                    await(start);
                    for (int i = 0; i < 150; i++) {
                        Memory m = f.memory("thread " + seed);
                        tx.run(() -> {
                            memories.insert(m);
                            memories.recordRecall(m.id(), Fixtures.T0, "agent", "checking " + seed);
                        });
                        assertThat(memories.find(m.id())).isPresent();
                        memories.search(SearchQuery.parse("thread", true, 5));
                    }
                }));
            }
            start.countDown();
            CompletableFuture.allOf(workers.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);

            assertThat(memories.count()).isEqualTo(300);
        }
    }

    @Test
    void twoProcesses_storingAtOnce_bothSucceed() throws Exception {
        int perProcess = 300;
        try (SqliteDatabase db = SqliteDatabases.open(dir)) {
            new SqliteProfileRepository(db).create(new Fixtures(0).profile(Fixtures.PROFILE));
        }
        Path log = Files.createTempFile(dir.getParent(), "child", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-cp", classpath, ConcurrentWriterMain.class.getName(),
                dir.toString(), Integer.toString(perProcess), "555")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (SqliteDatabase db = SqliteDatabases.openExisting(dir)) {
            SqliteMemoryRepository memories = new SqliteMemoryRepository(db);
            // Start once the child is writing, so that both write at the same time.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (memories.count() == 0 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
            Fixtures f = new Fixtures(777);
            for (int i = 0; i < perProcess; i++) {
                Memory m = f.memory("parent " + i);
                memories.insert(m);
                assertThat(memories.find(m.id())).isPresent();
            }
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child finished").isTrue();
            assertThat(child.exitValue()).as("child output:%n%s", Files.readString(log)).isZero();
            assertThat(memories.count()).isEqualTo(2L * perProcess);
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
