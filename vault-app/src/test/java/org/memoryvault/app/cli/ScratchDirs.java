package org.memoryvault.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the fuzz harnesses do per input: directories made, copied and deleted in memory where
 * /dev/shm exists (a case is a few SQLite commits), and the CLI run in-process on a vault.
 */
public final class ScratchDirs {
    private ScratchDirs() {}

    public record Out(int exit, String out, String err) {}

    /** Runs {@code vault --vault VAULT ARGS...} in this process, with no input and no terminal. */
    public static Out run(Path vault, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--vault";
        all[1] = vault.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    static Out run(String[] args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = VaultCli.run(args, terminal(out, err));
        return new Out(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    static VaultCli.Terminal terminal(java.io.ByteArrayOutputStream out, java.io.ByteArrayOutputStream err) {
        return new VaultCli.Terminal(new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), java.util.Map.of());
    }

    static Path create(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
