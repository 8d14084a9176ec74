package org.memoryvault.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.usecase.LockProfile;
import org.memoryvault.domain.usecase.RemoveKeySlot;
import org.memoryvault.domain.usecase.UnlockProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault profile create|list|add-slot|remove-slot|rewrap|unlock|lock|upgrade|bind-level5|level5-slots|remove-level5-slot}. */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Manage key profiles and their key slots.",
        subcommands = {ProfileCommands.Create.class, ProfileCommands.ListProfiles.class, ProfileCommands.AddSlot.class,
                ProfileCommands.RemoveSlot.class, ProfileCommands.Rewrap.class, ProfileCommands.Unlock.class,
                ProfileCommands.Lock.class, ProfileCommands.Upgrade.class, ProfileCommands.Rekey.class, ProfileCommands.BindLevel5.class,
                ProfileCommands.Level5Slots.class, ProfileCommands.RemoveLevel5Slot.class})
final class ProfileCommands {
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a profile with a new random data key, wrapped for a new key file and/or a passphrase.")
    static final class Create extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;

        @Option(names = "--new-key-file", paramLabel = "FILE", description = "Write a new key file here (default: <vault>/keys/NAME.key).")
        Path newKeyFile;

        @Option(names = "--no-key-file", description = "No key-file slot (then a passphrase slot is required).")
        boolean noKeyFile;

        @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "Add a passphrase slot with the new passphrase in FILE (0600).")
        Path newPassphraseFile;

        @Option(names = "--with-passphrase", description = "Add a passphrase slot, asking for the new passphrase on the terminal.")
        boolean passphrase;

        @Override
        Result execute(Vault vault) {
            boolean withPassphrase = passphrase || newPassphraseFile != null;
            if (noKeyFile && !withPassphrase) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a profile needs at least one slot: drop --no-key-file or"
                        + " add --new-passphrase-file FILE (or --with-passphrase)");
            }
            Profile p = vault.createProfile(name, !noKeyFile, Optional.ofNullable(newKeyFile), withPassphrase,
                    Optional.ofNullable(newPassphraseFile));
            String slots = String.join(", ", p.slots().stream().map(s -> s.type().wireName()).toList());
            return new Result(Json.profile(p), "created profile " + p.id() + " with " + p.slots().size() + " key slot(s): " + slots
                    + (withPassphrase ? "" : "; no passphrase (add one with `vault profile add-slot " + p.id()
                    + " --type passphrase --new-passphrase-file FILE`)"));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List profiles and their key slots.")
    static final class ListProfiles extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            List<Profile> profiles = vault.component().listProfiles().execute();
            StringBuilder text = new StringBuilder();
            for (Profile p : profiles) {
                text.append(p.id()).append("  key version ").append(p.keyVersion()).append('\n');
                for (KeySlot s : p.slots()) {
                    text.append("  slot ").append(s.slotId()).append("  ").append(s.type().wireName()).append("  ")
                            .append(org.memoryvault.adapters.approval.TerminalApprovalGate.printable(s.label())).append('\n');
                }
            }
            return new Result(Map.of("profiles", profiles.stream().map(Json::profile).toList()), text.toString().stripTrailing());
        }
    }

    @Command(name = "add-slot", mixinStandardHelpOptions = true,
            description = "Add a key slot. Unlock with an existing secret; the new one comes from --new-key-file or --new-passphrase-file.")
    static final class AddSlot extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "passphrase, keyfile, tpm2 ($MEMORY_VAULT_TPM, $MEMORY_VAULT_TPM_PCRS), yubikey ($MEMORY_VAULT_YUBIKEY_SLOT), or a type an installed slot backend adds (docs/HARDWARE.md)") String type;

        @Option(names = "--new-key-file", paramLabel = "FILE", description = "Where to write the new key file (default: <vault>/keys/NAME-slot<N>.key).")
        Path newKeyFile;

        @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "File holding the new passphrase (else a terminal prompt).")
        Path newPassphraseFile;

        @Option(names = "--label", paramLabel = "TEXT",
                description = "A name for the slot (not for key files), e.g. \"recovery, in the safe\": tells a recoverer which passphrase it takes.")
        String label;

        @Override
        Result execute(Vault vault) {
            KeySlot slot = vault.addSlot(ProfileId.of(name), type, Optional.ofNullable(newKeyFile),
                    Optional.ofNullable(newPassphraseFile), Optional.ofNullable(label));
            return new Result(Json.slot(slot), "added slot " + slot.slotId() + " (" + slot.type().wireName() + ") to " + name);
        }
    }

    @Command(name = "remove-slot", mixinStandardHelpOptions = true, description = "Remove a key slot (never the last one).")
    static final class RemoveSlot extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;
        @Parameters(index = "1", paramLabel = "SLOT", description = "The slot's number (`vault profile list` shows them).") int slot;

        @Override
        Result execute(Vault vault) {
            vault.component().removeKeySlot().execute(new RemoveKeySlot.Request(ProfileId.of(name), slot));
            return new Result(Map.of("profile", name, "removed_slot", slot), "removed slot " + slot + " from " + name);
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = "Give a slot a new secret (new passphrase or new key file); O(1), no memory is re-encrypted.")
    static final class Rewrap extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;
        @Parameters(index = "1", paramLabel = "SLOT", description = "The slot's number (`vault profile list` shows them).") int slot;

        @Option(names = "--new-key-file", paramLabel = "FILE", description = "For a key-file slot: where to write the new key file.")
        Path newKeyFile;

        @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "For a passphrase slot: the new passphrase.")
        Path newPassphraseFile;

        @Override
        Result execute(Vault vault) {
            KeySlot s = vault.rewrap(ProfileId.of(name), slot, Optional.ofNullable(newKeyFile), Optional.ofNullable(newPassphraseFile));
            return new Result(Json.slot(s), "rewrapped slot " + s.slotId() + " of " + name);
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Unlock a profile for unlock.ttl and print a session token to export as MEMORY_VAULT_SESSION.")
    static final class Unlock extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", defaultValue = "default", description = "The profile's name (default: ${DEFAULT-VALUE}).") String name;

        @Override
        Result execute(Vault vault) {
            UnlockProfile.Result r = vault.component().unlockProfile().execute(new UnlockProfile.Request(ProfileId.of(name), true));
            String token = r.token().orElseThrow().reveal();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("profile", name);
            out.put("session", token);
            out.put("expires_at", Json.time(r.expiresAt()));
            return new Result(out, "export MEMORY_VAULT_SESSION=" + token + "\n# valid until " + Json.time(r.expiresAt())
                    + "; `vault profile lock` ends it");
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true, description = "Lock one profile (or all): wipe cached keys, destroy sessions.")
    static final class Lock extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", arity = "0..1", description = "The profile to lock (default: every profile).") String name;

        @Override
        Result execute(Vault vault) {
            vault.component().lockProfile().execute(new LockProfile.Request(Optional.ofNullable(name).map(ProfileId::of)));
            return new Result(Map.of("locked", name == null ? "all" : name), "locked " + (name == null ? "all profiles" : name));
        }
    }

    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = "Move a profile made before key tiers to key tiers (one owner unlock; re-seals its memories in one transaction).")
    static final class Upgrade extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;

        @Override
        Result execute(Vault vault) {
            var r = vault.component().upgradeProfile().execute(org.memoryvault.domain.model.ProfileId.of(name));
            return new Result(Map.of("profile", name, "resealed", r.resealed(), "slots_rewrapped", r.slotsRewrapped()),
                    "profile " + name + " uses key tiers now: " + r.resealed() + " memories re-sealed, "
                            + r.slotsRewrapped() + " passphrase slot(s) hold the owner key");
        }
    }

    @Command(name = "rekey", mixinStandardHelpOptions = true,
            description = {"Re-key a profile (an owner operation): a fresh level 0-2 tier key at the next key version; every memory"
                    + " of the profile sealed again under it, in batches; the slots whose secrets are given (the owner's passphrase,"
                    + " the key file) wrapped around it. Its agent principals are revoked (enrol them again). The owner key stays.",
                    "Crash-safe: if it is stopped, every memory still opens with the old or the new key, recalls of the profile wait,"
                            + " and running it again finishes it (docs/FORMAT.md §3, \"Re-keying\")."})
    static final class Rekey extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;

        @Option(names = "--drop-other-slots", description = "Drop the slots whose secrets are not given (a TPM, another passphrase,"
                + " a recovery code...) instead of refusing; add them again afterwards with `vault profile add-slot`.")
        boolean dropOtherSlots;

        @Option(names = "--batch", defaultValue = "500", paramLabel = "N",
                description = "Memories per transaction (default: ${DEFAULT-VALUE}).") int batch;

        @Override
        Result execute(Vault vault) {
            var rekey = vault.component().rekeyProfile();
            var id = org.memoryvault.domain.model.ProfileId.of(name);
            org.memoryvault.domain.usecase.RekeyProfile.Result r;
            try (var bar = root().countProgress().start("rekey", rekey.toLookAt())) {
                r = rekey.execute(new org.memoryvault.domain.usecase.RekeyProfile.Request(id, dropOtherSlots, batch), bar::step);
            }
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("profile", name);
            out.put("key_version", r.keyVersion());
            out.put("memories", r.memories());
            out.put("slots_kept", r.slotsKept());
            out.put("slots_dropped", r.slotsDropped());
            out.put("principals_revoked", r.principalsRevoked());
            out.put("resumed", r.resumed());
            out.put("damaged", r.damaged().stream().map(Object::toString).toList());
            return new Result(out, "profile " + name + " re-keyed to key version " + r.keyVersion() + (r.resumed() ? " (resumed)" : "")
                    + ": " + r.memories() + " memories sealed again; slots kept " + r.slotsKept()
                    + (r.slotsDropped().isEmpty() ? "" : ", dropped " + r.slotsDropped())
                    + (r.principalsRevoked().isEmpty() ? "" : "; principals revoked (enrol them again): " + r.principalsRevoked())
                    + (r.damaged().isEmpty() ? "" : "; damaged, left as they were (they fail authentication; see `vault verify --deep`): "
                            + r.damaged()));
        }
    }

    @Command(name = "bind-level5", mixinStandardHelpOptions = true,
            description = {"Bind level 5 of a profile to a device (the owner's passphrase, and the device): from then on level-5"
                    + " memories open only with the owner key and the device together (docs/HARDWARE.md, \"Level 5 bound to a device\").",
                    "The first binding re-seals the profile's level-5 memories and prints a recovery code once; bind more devices"
                    + " with a bound device at hand, or with --recovery-code-file."})
    static final class BindLevel5 extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;

        @Option(names = "--type", required = true, paramLabel = "TYPE",
                description = "The device: tpm2, tpm2-pin, fido2, yubikey, or a device type an installed slot backend adds;"
                        + " recovery-code makes a new level-5 recovery code (printed once) for a bound level 5.")
        String type;

        @Option(names = "--recovery-code-file", paramLabel = "FILE",
                description = "File (0600) holding level 5's recovery code: binds another device when no bound device is at hand.")
        Path recoveryCodeFile;

        @Override
        Result execute(Vault vault) {
            Vault.BoundLevel5 r = vault.bindLevel5(ProfileId.of(name), type, Optional.ofNullable(recoveryCodeFile));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("profile", name);
            out.put("slot", Json.slot(r.device()));
            r.recoverySlot().ifPresent(s -> out.put("recovery_slot", Json.slot(s)));
            out.put("resealed", r.resealed());
            r.recoveryCode().ifPresent(c -> out.put("recovery_code", c));
            String text = "bound level 5 of " + name + " to device slot " + r.device().slotId() + " (" + r.device().type().wireName()
                    + ")" + (r.recoverySlot().isPresent() ? "; " + r.resealed() + " level-5 memories re-sealed" : "")
                    + r.recoveryCode().map(c -> "\n\nLevel-5 recovery code (shown once; write it down and keep it away from agents;"
                            + " with the owner's passphrase it binds a new device when this one is lost):\n  " + c).orElse("");
            return new Result(out, text);
        }

        @Override String ifOutputLost() {
            return "; if it held a level-5 recovery code, that code was not shown: make a new one with `vault profile bind-level5 "
                    + name + " --type recovery-code` (with a bound device at hand) and remove the old one's slot";
        }
    }

    @Command(name = "level5-slots", mixinStandardHelpOptions = true,
            description = "List the device slots of a profile's level 5 (none while level 5 is not bound to a device).")
    static final class Level5Slots extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;

        @Override
        Result execute(Vault vault) {
            List<KeySlot> slots = vault.component().level5Binding().slots(ProfileId.of(name));
            boolean bound = vault.component().keyAccess().profile(ProfileId.of(name)).locks().level5Bound();
            StringBuilder text = new StringBuilder(bound ? "" : "level 5 of " + name + " is not bound to a device"
                    + (slots.isEmpty() ? "" : " (yet it has device slots: vault.db was edited outside the vault)"));
            for (KeySlot s : slots) {
                if (text.length() > 0) text.append('\n');
                text.append("slot ").append(s.slotId()).append("  ").append(s.type().wireName());
            }
            return new Result(Map.of("profile", name, "bound", bound, "slots", slots.stream().map(Json::slot).toList()),
                    text.toString());
        }
    }

    @Command(name = "remove-level5-slot", mixinStandardHelpOptions = true,
            description = "Remove a device slot of level 5 (a lost or retired device); never the last one.")
    static final class RemoveLevel5Slot extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name.") String name;
        @Parameters(index = "1", paramLabel = "SLOT", description = "The device slot's number (`vault profile level5-slots` shows them).") int slot;

        @Override
        Result execute(Vault vault) {
            vault.component().level5Binding().removeSlot(ProfileId.of(name), slot);
            return new Result(Map.of("profile", name, "removed_slot", slot), "removed level-5 device slot " + slot + " from " + name);
        }
    }
}
