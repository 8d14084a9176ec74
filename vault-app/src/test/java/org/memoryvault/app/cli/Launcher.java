package org.memoryvault.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the built launcher {@code ./vault} as a separate process, the way a user or an agent does. */
final class Launcher {
    static final Path REPO = locateRepo();
    static final Path VAULT = REPO.resolve("vault");

    /** One finished run. */
    record Run(int exit, byte[] stdout, String stderr) {
        String out() { return new String(stdout, StandardCharsets.UTF_8); }

        @Override public String toString() { return "exit " + exit + "\nstdout: " + out() + "\nstderr: " + stderr; }
    }

    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    Launcher(Path home) {
        this.home = home;
    }

    Launcher env(String key, String value) {
        env.put(key, value);
        return this;
    }

    Path home() { return home; }

    Run run(String... args) { return runWithInput(new byte[0], args); }

    Run runWithInput(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");                 // no controlling terminal: approvals cannot come from a human here
        cmd.add(VAULT.toString());
        cmd.add("--vault");
        cmd.add(home.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("MEMORY_VAULT_HOME");
        pb.environment().remove("MEMORY_VAULT_SESSION");
        pb.environment().remove("MEMORY_VAULT_PASSPHRASE_FILE");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            p.getOutputStream().write(stdin);
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("vault " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Run(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locateRepo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("vault"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root with ./vault");
        return p;
    }
}
