package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vault init}: creates the vault directory, database, config and the default profile. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a vault with a default profile: a new key file (levels 0-2) and, with --passphrase-file, the owner's passphrase (levels 3-5, owner ceremonies).")
final class InitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--profile", defaultValue = "default", description = "Name of the first profile (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--new-key-file", paramLabel = "FILE",
            description = "Where to write the profile's key file (default: <vault>/keys/<profile>.key).")
    Path newKeyFile;

    @Option(names = "--storage-backend", paramLabel = "NAME", defaultValue = "sqlite",
            description = "Where the vault lives: sqlite (the default, <vault>/vault.db). Fixed once the vault exists.")
    String storageBackend;

    @Option(names = "--kdf-preset", paramLabel = "PRESET",
            description = "Argon2id cost for passphrase slots: interactive, moderate, sensitive (default: sensitive).")
    String kdfPreset;

    @Override
    public Integer call() {
        VaultCli root = (VaultCli) spec.root().userObject();
        Optional<KdfPreset> preset = Optional.ofNullable(kdfPreset).map(KdfPreset::parse);
        Path home = root.options().home();
        boolean dirExisted = java.nio.file.Files.isDirectory(home);
        java.util.Set<Path> before = children(home);
        boolean done = false;
        try (Vault vault = Vault.init(root.options(), preset, storageBackend)) {
            Profile p = vault.createProfile(profile, true, Optional.ofNullable(newKeyFile), root.options().passphraseFile().isPresent());
            vault.finish();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("vault", vault.home().toString());
            out.put("profile", Json.profile(p));
            if (root.json) {
                root.io.out().println(Json.write(out));
            } else {
                root.io.out().println("Initialised vault at " + vault.home());
                p.slots().forEach(s -> root.io.out().println("  profile " + p.id() + " slot " + s.slotId() + ": "
                        + s.type().wireName() + " (" + s.label() + ")"));
                if (p.slots().size() == 1) {
                    root.io.err().println("vault: warning: profile " + p.id() + " has no passphrase, so its key file is the owner:"
                            + " it opens every level (3-5 included), lifts lockdown and approves. Add the owner's passphrase with"
                            + " `vault profile add-slot " + p.id() + " --type passphrase --new-passphrase-file FILE`.");
                }
            }
            done = true;
        } finally {
            if (!done) undo(home, dirExisted, before);
        }
        return 0;
    }

    /** What the directory held before init (empty when it did not exist). */
    private static java.util.Set<Path> children(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) return java.util.Set.of();
        try (var s = java.nio.file.Files.list(dir)) {
            return s.collect(java.util.stream.Collectors.toSet());
        } catch (java.io.IOException e) {
            return java.util.Set.of();
        }
    }

    /** A failed init leaves nothing behind: whatever it created goes (the directory too, if it made it). */
    private static void undo(Path home, boolean dirExisted, java.util.Set<Path> before) {
        if (!dirExisted) {
            deleteTree(home);
            return;
        }
        for (Path p : children(home)) {
            if (!before.contains(p)) deleteTree(p);
        }
    }

    private static void deleteTree(Path p) {
        try (var s = java.nio.file.Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort
        }
    }
}
