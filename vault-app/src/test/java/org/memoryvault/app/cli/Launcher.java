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
    /** This machine's network interface names (tests ignore them all, so the local guard sees the vault offline). */
    static String interfaceNames() {
        try {
            return String.join(",", java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .map(java.net.NetworkInterface::getName).toList());
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JVM options of every command a test runs (the launcher's defaults plus C1-only compilation). */
    static final String TEST_JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    /** One finished run. */
    record Run(int exit, byte[] stdout, String stderr) {
        String out() { return new String(stdout, StandardCharsets.UTF_8); }

        @Override public String toString() { return "exit " + exit + "\nstdout: " + out() + "\nstderr: " + stderr; }
    }

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private Path workingDirectory;

    Launcher(Path home) {
        this.home = home;
    }

    Launcher env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Runs the launcher from this working directory (default: the test's). */
    Launcher in(Path dir) {
        workingDirectory = dir;
        return this;
    }

    Path home() { return home; }

    String envValue(String key) { return env.get(key); }

    /**
     * Runs an agent's recall (credential in the environment) under a real pseudo-terminal (util-linux
     * {@code script}); {@code typed} arrives as the keystrokes of whoever is at that terminal.
     */
    static String recallUnderATerminal(Path home, String credential, String typed, String id) throws Exception {
        String command = "MEMORY_VAULT_PRINCIPAL_FILE=" + credential + " " + VAULT + " --vault " + home + " recall " + id
                + " --justification tty";
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true);
        Process p = pb.start();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        Thread.sleep(1500);
        p.getOutputStream().write((typed + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {          // every process a test starts has a deadline
            p.destroyForcibly();
            throw new AssertionError("the recall under a terminal did not end in 120 s");
        }
        String out = new String(read.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        if (!out.contains("approval needed for a recall")) throw new AssertionError("no approval request shown: " + out);
        return out;
    }

    Run run(String... args) { return runWithInput(new byte[0], args); }

    Run runWithInput(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");                 // no controlling terminal: approvals cannot come from a human here
        cmd.add(VAULT.toString());
        cmd.add("--vault");
        cmd.add(home.toString());
        cmd.addAll(List.of(args));
        return start(cmd, stdin, String.join(" ", args));
    }

    /** Starts {@code vault --vault HOME <args>} and returns at once (its output discarded): for a test that kills it. */
    Process spawn(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(VAULT.toString(), "--vault", home.toString()));
        cmd.addAll(List.of(args));
        return builder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    /**
     * Runs {@code vault --vault HOME <words>} through {@code sh -c}, so the arguments can be exact
     * bytes whatever this JVM's charset: {@code words} is shell text (e.g. {@code "$(printf '\\377')"}).
     */
    Run runShell(String words) {
        List<String> cmd = List.of("setsid", "sh", "-c", "exec \"$0\" --vault \"$1\" " + words, VAULT.toString(), home.toString());
        return start(cmd, new byte[0], words);
    }

    /** A process of {@code cmd} in this launcher's directory and environment (the caller's own vault settings taken out). */
    private ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (workingDirectory != null) pb.directory(workingDirectory.toFile());
        pb.environment().remove("MEMORY_VAULT_HOME");
        pb.environment().remove("MEMORY_VAULT_SESSION");
        pb.environment().remove("MEMORY_VAULT_PASSPHRASE_FILE");
        pb.environment().remove("VAULT_CLASSPATH");
        // Each test command is a short-lived JVM: C1 alone starts it about 40 % faster on two cores than tiered
        // compilation (measured with `vault list`); the launcher's own default stays for users and `vault bench`.
        pb.environment().put("VAULT_JAVA_OPTS", TEST_JVM_OPTIONS);
        pb.environment().putAll(env);
        return pb;
    }

    private Run start(List<String> cmd, byte[] stdin, String shown) {
        ProcessBuilder pb = builder(cmd);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            p.getOutputStream().write(stdin);
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("vault " + shown + " did not finish in 120 s");
            }
            return new Run(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Sets up a vault in this test's JVM, through the same wiring the CLI uses, where the CLI itself
     * is not what a test is about: what {@code vault init [--kdf-preset interactive] [--passphrase-file F]}
     * does (profile {@code default} with a key file, and the passphrase if given), then each owner
     * {@code config set KEY VALUE} of {@code settings} in order. A JVM launch saved per step.
     */
    static void initInProcess(Path home, java.util.Optional<Path> passphraseFile, boolean interactiveKdf, String... settings) {
        if (settings.length % 2 != 0) throw new IllegalArgumentException("settings come in KEY VALUE pairs");
        org.memoryvault.app.wiring.VaultOptions options = new org.memoryvault.app.wiring.VaultOptions(home, passphraseFile,
                java.util.Optional.empty(), Map.of());
        try (org.memoryvault.app.wiring.Vault vault = org.memoryvault.app.wiring.Vault.init(options,
                interactiveKdf ? java.util.Optional.of(org.memoryvault.domain.model.KdfPreset.INTERACTIVE) : java.util.Optional.empty())) {
            vault.createProfile("default", true, java.util.Optional.empty(), passphraseFile.isPresent(), passphraseFile);
            for (int i = 0; i < settings.length; i += 2) vault.setConfig(settings[i], settings[i + 1]);
            vault.finish();
        }
    }

    /** A new age identity in {@code dir}/{@code name}.key, made by the stock age-keygen; returns its public recipient (age1...). */
    static String ageIdentity(Path dir, String name) {
        Path key = dir.resolve(name + ".key");
        try {
            if (new ProcessBuilder("age-keygen", "-o", key.toString()).redirectErrorStream(true).start().waitFor() != 0) {
                throw new AssertionError("age-keygen failed for " + key);
            }
            return Files.readAllLines(key).stream().filter(l -> l.startsWith("# public key: ")).findFirst().orElseThrow()
                    .substring("# public key: ".length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes a secret file (a passphrase) the way the vault wants it: 0600 from its creation. */
    static Path secretFile(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
