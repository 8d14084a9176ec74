package org.memoryvault.app.api;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link GroupCommitCrashIT}: opens the vault as an agent principal and has
 * {@code args[2]} threads store memories until it is killed, printing {@code stored ID} for each
 * store once it has returned (so the parent knows exactly which operations reported success).
 */
public final class ConcurrentStoresMain {
    private ConcurrentStoresMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path credential = Path.of(args[1]);
        int writers = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        MemoryVault vault = MemoryVault.open(home, MemoryVault.Options.principal(credential));
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads[w] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = vault.store(("writer " + writer + " memory " + i).getBytes(StandardCharsets.UTF_8), 1,
                            "{\"writer\":" + writer + ",\"n\":" + i + "}");
                    synchronized (out) {
                        out.println("stored " + id);
                        out.flush();
                    }
                }
            }, "writer-" + w);
            threads[w].start();
        }
        for (Thread t : threads) t.join();
    }
}
