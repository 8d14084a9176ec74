package org.memoryvault.app.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the class-data-sharing archive (docs/CONTRIBUTING.md, "Start-up"): the build
 * runs it once as {@code java -XX:DumpLoadedClassList=vault-app.classlist ...} and then dumps a
 * static archive of those classes ({@code -Xshare:dump}), so the classes the everyday commands load are archived and later runs map them instead of loading and verifying
 * them. It runs those commands in-process on a throw-away vault (key file only, no secret) and
 * deletes it. It prints one line; a failing command fails the build.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("vault-startup-training");
        try {
            String vault = dir.resolve("vault").toString();
            run(List.of("--help"), "");
            run(List.of("--vault", vault, "init", "--kdf-preset", "interactive"), "");
            String id = run(List.of("--vault", vault, "store", "--metadata", "{\"topic\":\"training\"}"), "trained").strip();
            List<List<String>> commands = List.of(
                    List.of("list"), List.of("show", id), List.of("recall", id, "--justification", "training"),
                    List.of("search", "training"), List.of("config", "list"), List.of("audit", "log", "--json"),
                    List.of("lockdown", "status", "--json"), List.of("profile", "list"), List.of("verify"),
                    List.of("list", "--json"), List.of("recall", id, "--justification", "training", "--json"));
            for (List<String> command : commands) {
                List<String> full = new ArrayList<>(List.of("--vault", vault));
                full.addAll(command);
                run(full, "");
            }
            System.out.println("startup training: ran " + (commands.size() + 3) + " commands");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static String run(List<String> args, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        VaultCli.Terminal io = new VaultCli.Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        int exit = VaultCli.run(args.toArray(String[]::new), io);
        if (exit != 0) {
            throw new IllegalStateException("training command " + args + " exited " + exit + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
