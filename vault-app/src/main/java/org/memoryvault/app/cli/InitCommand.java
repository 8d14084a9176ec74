package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.memoryvault.app.wiring.CliSecretProvider;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vault init}: creates the vault directory, database, config and the default profile. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create a vault: a key file, and the owner's passphrase if given.",
                "The key file opens levels 0-2; the owner's passphrase (--new-passphrase-file or --with-passphrase) opens",
                "levels 3-5, approves, and leaves lockdown. Without a passphrase the key file opens every level, and a",
                "recovery code, printed once, is the only secret that lifts lockdown."})
final class InitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--profile", defaultValue = "default", description = "Name of the first profile (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--new-key-file", paramLabel = "FILE",
            description = "Where to write the profile's key file (default: <vault>/keys/<profile>.key).")
    Path newKeyFile;

    @Option(names = "--new-passphrase-file", paramLabel = "FILE",
            description = "File (0600) holding the owner's new passphrase, at least 8 characters.")
    Path newPassphraseFile;

    @Option(names = "--with-passphrase", description = "Ask for the owner's new passphrase on the terminal (twice).")
    boolean withPassphrase;

    @Option(names = "--no-passphrase", description = {"Create the vault without an owner passphrase (its key file is the owner)",
            "although $MEMORY_VAULT_PASSPHRASE_FILE is set; without that variable this is the default."})
    boolean noPassphrase;

    @Option(names = "--storage-backend", paramLabel = "NAME", defaultValue = "sqlite",
            description = "Where the vault lives: sqlite (the default, <vault>/vault.db). Fixed once the vault exists.")
    String storageBackend;

    @Option(names = "--kdf-preset", paramLabel = "PRESET",
            description = {"Argon2id cost of this vault's passphrase slots, saved as kdf.preset: later profiles and slots use it too",
                    "(interactive, moderate, sensitive; default: sensitive)."})
    String kdfPreset;

    @Override
    public Integer call() {
        VaultCli root = (VaultCli) spec.root().userObject();
        if (root.passphraseFile != null) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "init creates secrets, so it takes no existing one: give the owner's"
                    + " new passphrase with --new-passphrase-file FILE (or --with-passphrase to type it)");
        }
        if (noPassphrase && (withPassphrase || newPassphraseFile != null)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--no-passphrase contradicts --new-passphrase-file and --with-passphrase");
        }
        if (root.io.env().get(CliSecretProvider.ENV_PASSPHRASE_FILE) != null && !noPassphrase && !withPassphrase && newPassphraseFile == null) {
            // someone who set the variable most likely expects an owner passphrase: never make a key-file-only vault silently
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "$" + CliSecretProvider.ENV_PASSPHRASE_FILE + " is set, but init"
                    + " creates secrets and reads no existing one: to make that file's passphrase the owner's, give --new-passphrase-file \"$"
                    + CliSecretProvider.ENV_PASSPHRASE_FILE + "\"; to create a vault whose key file is the owner, give --no-passphrase");
        }
        boolean passphrase = withPassphrase || newPassphraseFile != null;
        Optional<KdfPreset> preset = Optional.ofNullable(kdfPreset).map(KdfPreset::parse);
        Path home = root.options().home();
        boolean dirExisted = java.nio.file.Files.isDirectory(home);
        java.util.Set<Path> before = children(home);
        boolean done = false;
        try (Vault vault = Vault.init(root.options(), preset, storageBackend)) {
            vault.showNotices(root.noticePrinter());
            Vault.Created created = vault.createOwnerProfile(profile, Optional.ofNullable(newKeyFile), passphrase,
                    Optional.ofNullable(newPassphraseFile));
            Profile p = created.profile();
            vault.finish();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("vault", vault.home().toString());
            out.put("profile", Json.profile(p));
            out.put("owner_passphrase", passphrase);
            out.put("kdf_preset", vault.config().get(org.memoryvault.app.config.ConfigKey.KDF_PRESET));
            created.recoveryCode().ifPresent(c -> out.put("recovery_code", c));
            if (root.json) {
                root.io.out().println(Json.write(out));
            } else {
                root.io.out().println("Initialised vault at " + vault.home());
                p.slots().forEach(s -> root.io.out().println("  profile " + p.id() + " slot " + s.slotId() + ": "
                        + s.type().wireName() + " (" + org.memoryvault.adapters.approval.TerminalApprovalGate.printable(s.label()) + ")"));
                preset.ifPresent(k -> root.io.out().println("  kdf.preset = " + k.wireName() + " (saved in config.toml: later"
                        + " passphrase slots and profiles use it too; change it with `vault config set kdf.preset`)"));
                if (created.recoveryCode().isPresent()) {
                    root.io.out().println();
                    root.io.out().println("Recovery code (shown once; write it down and keep it away from agents):");
                    root.io.out().println("  " + created.recoveryCode().get());
                    root.io.err().println("vault: warning: profile " + p.id() + " has no passphrase, so its key file is the owner:"
                            + " it opens every level (3-5 included) and approves. Only the recovery code lifts lockdown"
                            + " (`vault lockdown exit --passphrase-file FILE-holding-the-code`, or type it when asked)."
                            + " Add the owner's passphrase with `vault profile add-slot " + p.id()
                            + " --type passphrase --new-passphrase-file FILE`.");
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
