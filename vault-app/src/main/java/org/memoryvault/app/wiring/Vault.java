package org.memoryvault.app.wiring;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.crypto.KeyFiles;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.RateLimit;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.VaultStorage;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.UnlockSessions;
import org.memoryvault.domain.port.UnlockedKeys;
import org.memoryvault.domain.usecase.AddKeySlot;
import org.memoryvault.domain.usecase.CreateProfile;
import org.memoryvault.domain.usecase.NewSlot;
import org.memoryvault.domain.usecase.RewrapProfile;

/**
 * One opened vault: its directory, configuration, database and the wired use cases. The CLI opens
 * one per command; an embedding application may keep one open.
 *
 * <p>Security: {@link #close()} wipes every cached data key and the passphrase read for this
 * process. Session records on disk stay until they expire or {@code vault profile lock}.
 */
public final class Vault implements AutoCloseable {
    /** The database file in the vault directory (docs/FORMAT.md). */
    public static final String DATABASE_FILE = "vault.db";

    private final Path home;
    private final VaultConfig config;
    private final VaultStorage database;
    private final CliSecretProvider secrets;
    private final UnlockedKeys unlocked;
    private final VaultComponent component;
    private final Clock clock;
    private java.util.concurrent.@org.jspecify.annotations.Nullable ScheduledExecutorService checkpointer;
    private final Optional<Path> principalFile;
    private @org.jspecify.annotations.Nullable Requester requester;
    private @org.jspecify.annotations.Nullable Path lastCredentialFile;

    private Vault(Path home, VaultConfig config, VaultStorage database, CliSecretProvider secrets, UnlockedKeys unlocked,
                  VaultComponent component, Clock clock, Optional<Path> principalFile) {
        this.clock = clock;
        this.principalFile = principalFile;
        this.home = home;
        this.config = config;
        this.database = database;
        this.secrets = secrets;
        this.unlocked = unlocked;
        this.component = component;
    }

    /** Opens an initialised vault; a config.toml with an unknown key or an invalid value is refused ({@code INPUT_CONFIG}). */
    public static Vault open(VaultOptions options) { return open(options, false); }

    /**
     * Opens an initialised vault. With {@code repairingConfig} (the {@code config} commands), the
     * keys of config.toml that are unknown or invalid are set aside instead of refused, so they can
     * be repaired.
     */
    public static Vault open(VaultOptions options, boolean repairingConfig) {
        if (!Files.isDirectory(options.home())) {
            throw new InvalidInputException(ErrorCode.STORAGE_NOT_INITIALISED, "no vault at " + options.home() + "; run `vault init`");
        }
        VaultConfig config = VaultConfig.load(options.home());
        if (!repairingConfig) config.requireValid();
        StorageBackend backend = StorageBackends.of(config);
        if (!backend.existsIn(options.home())) {
            throw new InvalidInputException(ErrorCode.STORAGE_NOT_INITIALISED, "no vault at " + options.home() + "; run `vault init`");
        }
        Vault vault = wire(options, config, backend.open(options.home(), config));
        vault.component.ownerSeals();           // wires the seal at the end of every owner ceremony
        return vault;
    }

    /** Creates a vault directory, database and configuration; refuses an existing vault. */
    public static Vault init(VaultOptions options, Optional<KdfPreset> kdfPreset) {
        return init(options, kdfPreset, ConfigKey.STORAGE_BACKEND.defaultValue());
    }

    /** As {@link #init(VaultOptions, Optional)}, on the named storage backend (recorded as {@code storage.backend}). */
    public static Vault init(VaultOptions options, Optional<KdfPreset> kdfPreset, String storageBackend) {
        StorageBackend backend = StorageBackends.named(storageBackend);
        if (Files.exists(options.home().resolve(DATABASE_FILE)) || backend.existsIn(options.home())) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "a vault already exists at " + options.home());
        }
        VaultStorage storage = backend.create(options.home(), VaultConfig.load(options.home()));
        VaultConfig config = VaultConfig.load(options.home());
        config.createIfMissing();
        config.set(ConfigKey.STORAGE_BACKEND.key(), backend.name());     // written down: the vault always reopens with it
        kdfPreset.ifPresent(p -> config.set(ConfigKey.KDF_PRESET.key(), p.wireName()));
        Vault vault = wire(options, config, storage);
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        vault.component.vaultState().setVaultId(java.util.HexFormat.of().formatHex(id));
        vault.component.ownerSeals();
        return vault;
    }

    private static Vault wire(VaultOptions options, VaultConfig config, VaultStorage db) {
        Clock clock = Clock.systemUTC();
        CliSecretProvider secrets = new CliSecretProvider(options.passphraseFile(), options.keyFile(), options.totpCodeFile(), true);
        secrets.devicePinFile(Optional.ofNullable(options.env().get(VaultOptions.ENV_PIN_FILE)).filter(s -> !s.isBlank()).map(Path::of));
        org.memoryvault.domain.usecase.UnlockedKeyCache unlocked = new org.memoryvault.domain.usecase.UnlockedKeyCache(clock);
        VaultComponent component = DaggerVaultComponent.factory().create(config, config.settings(), clock, new SecureRandom(),
                db, secrets, unlocked, org.memoryvault.crypto.CryptoFiles.in(options.home(), options::sessionToken),
                new VaultComponent.Home(options.home()));
        return new Vault(options.home(), config, db, secrets, unlocked, component, clock, options.principalFile());
    }

    public Path home() { return home; }

    /**
     * Where one-line notices before slow steps go ("deriving key: Argon2id, 1024 MiB, 4 passes");
     * the CLI passes a printer to stderr when stderr is a terminal.
     */
    public void showNotices(java.util.function.Consumer<String> sink) { secrets.showNotices(sink); }

    private void noticeNewPassphraseSlot() {
        KdfParameters kdf = settings().kdfPreset().parameters();
        if (kdf.worthANotice()) secrets.beforeSlowStep("deriving key: " + kdf.describe());
    }

    /**
     * Who this invocation is: the principal whose credential file was given (authenticated once,
     * audited when refused), else the owner, who proves a secret when a gate needs one.
     */
    public synchronized Requester requester() {
        if (requester == null) requester = authenticate();
        return requester;
    }

    /**
     * Who asks, authenticated afresh and not remembered: the principal whose credential file was
     * given (its rate counts this call; a removed principal or a rotated credential fails here), else
     * the owner. For long-running processes, once per operation; the caller closes an agent's key.
     */
    public Requester authenticate() {
        if (principalFile.isPresent()) {
            try (SlotSecret credential = KeyFiles.load(principalFile.get())) {
                return component.principals().authenticate(credential);
            }
        }
        return new Requester.Owner();
    }

    /** The credential file written by the last {@link #addPrincipal} or {@link #rotatePrincipal}. */
    public synchronized Path lastCredentialFile() {
        if (lastCredentialFile == null) throw new IllegalStateException("no credential file was written");
        return lastCredentialFile;
    }

    /**
     * Adds an agent principal with a new credential file ({@code credentialFile}, else
     * {@code <vault>/principals/NAME.key}), 0600; an owner ceremony (the owner's secret is proved).
     */
    public PrincipalRecord addPrincipal(String name, Classification clearance, Optional<RateLimit> rate,
                                        Optional<Path> credentialFile) {
        PrincipalRecord.requireValidName(name);
        Path file = credentialFile.map(f -> f.toAbsolutePath().normalize())
                .orElse(home.resolve("principals").resolve(name + ".key"));
        return withCredential(file, c -> component.principals().add(name, clearance, rate, c));
    }

    /** Gives a principal a new credential file; the old one stops opening anything. */
    public PrincipalRecord rotatePrincipal(String name, Optional<Path> credentialFile) {
        PrincipalRecord.requireValidName(name);
        Path file = credentialFile.map(f -> f.toAbsolutePath().normalize())
                .orElse(home.resolve("principals").resolve(name + "-" + System.currentTimeMillis() + ".key"));
        return withCredential(file, c -> component.principals().rotate(name, c));
    }

    private PrincipalRecord withCredential(Path file, java.util.function.Function<SlotSecret, PrincipalRecord> action) {
        refuseExisting(file);
        boolean keep = false;
        try (SlotSecret credential = KeyFiles.generate(file)) {
            PrincipalRecord p = action.apply(credential);
            keep = true;
            lastCredentialFile = file;
            return p;
        } finally {
            if (!keep) deleteQuietly(file);
        }
    }

    public VaultConfig config() { return config; }

    public VaultSettings settings() { return config.settings(); }

    public VaultComponent component() { return component; }

    /**
     * Runs one command's work against this vault. Whatever the command, a wrong secret
     * ({@code ACCESS_WRONG_SECRET}) is appended to the audit log as {@code secret.refused} with the
     * command and the profile (never the secret) and counted by the anomaly rule, which may put the
     * vault in lockdown; then the refusal is rethrown.
     */
    public <T> T run(String command, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (org.memoryvault.domain.error.VaultException e) {
            if (e.code() == ErrorCode.ACCESS_WRONG_SECRET) {
                try {
                    recordWrongSecret(command, e);
                } catch (RuntimeException recording) {
                    e.addSuppressed(recording);
                }
            }
            throw e;
        }
    }

    private void recordWrongSecret(String command, org.memoryvault.domain.error.VaultException e) {
        component.recordWrongSecret().execute(command, secrets.lastProfile());
        finish();
    }

    /**
     * Changes one configuration key. Settings weaken or strengthen gates, so the owner's secret is
     * proved first (a passphrase, once the owner profile has a passphrase slot), and the change is
     * an audit entry. (A process that can write config.toml directly is outside this protection;
     * docs/THREAT-MODEL.md.)
     */
    public void setConfig(String key, String value) {
        component.changeSetting().execute(org.memoryvault.domain.usecase.ChangeSetting.Request.set(key, value));
    }

    /** Removes one configuration key (its default applies again); an owner ceremony like {@link #setConfig}. */
    public void unsetConfig(String key) {
        component.changeSetting().execute(org.memoryvault.domain.usecase.ChangeSetting.Request.unset(key));
    }

    /**
     * Creates a profile with a new key file and/or a new passphrase (from {@code newPassphraseFile},
     * else a prompt on the terminal). The passphrase given to prove existing secrets
     * ({@code --passphrase-file}) is never used as a new one.
     */
    public Profile createProfile(String name, boolean withKeyFile, Optional<Path> keyFilePath, boolean withPassphrase,
                                 Optional<Path> newPassphraseFile) {
        return createProfile(name, withKeyFile, keyFilePath, withPassphrase, newPassphraseFile, Optional.empty());
    }

    /**
     * The first profile of {@code vault init}: a key file, and the owner's passphrase when one is
     * given; without one, a recovery code (returned, shown once) that alone lifts lockdown
     * ({@link SlotType#RECOVERY_CODE}).
     */
    public Created createOwnerProfile(String name, Optional<Path> keyFilePath, boolean withPassphrase, Optional<Path> newPassphraseFile) {
        if (withPassphrase) return new Created(createProfile(name, true, keyFilePath, true, newPassphraseFile), Optional.empty());
        String code = RecoveryCodes.generate();
        char[] chars = code.toCharArray();
        try {
            return new Created(createProfile(name, true, keyFilePath, false, Optional.empty(), Optional.of(chars)), Optional.of(code));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** A profile just created, with the recovery code made for it, if one was. */
    public record Created(Profile profile, Optional<String> recoveryCode) {}

    private Profile createProfile(String name, boolean withKeyFile, Optional<Path> keyFilePath, boolean withPassphrase,
                                  Optional<Path> newPassphraseFile, Optional<char[]> recoveryCode) {
        ProfileId id = ProfileId.of(name);
        List<NewSlot> slots = new ArrayList<>();
        List<SlotSecret> opened = new ArrayList<>();
        Path keyFile = keyFilePath.map(p -> p.toAbsolutePath().normalize()).orElse(home.resolve("keys").resolve(name + ".key"));
        boolean wroteKeyFile = false;
        try {
            if (withKeyFile) {
                refuseExisting(keyFile);
                SlotSecret s = KeyFiles.generate(keyFile);
                wroteKeyFile = true;
                opened.add(s);
                slots.add(new NewSlot(keyFile.toString(), s));
            }
            if (withPassphrase) {
                Optional<char[]> chars = newPassphraseFile.map(CliSecretProvider::readPassphraseFile).or(Vault::promptNewPassphrase);
                SlotSecret s;
                try {
                    s = newPassphrase(chars, "give the new passphrase with --new-passphrase-file FILE");
                } finally {
                    chars.ifPresent(c -> Arrays.fill(c, '\0'));
                }
                noticeNewPassphraseSlot();
                opened.add(s);
                slots.add(new NewSlot("passphrase", s));
            }
            if (recoveryCode.isPresent()) {
                SlotSecret s = SlotSecret.of(SlotType.RECOVERY_CODE, new String(recoveryCode.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                opened.add(s);
                slots.add(new NewSlot("recovery code", s));
            }
            Profile p = component.createProfile().execute(new CreateProfile.Request(id, slots));
            wroteKeyFile = false;
            return p;
        } finally {
            opened.forEach(SlotSecret::close);
            if (wroteKeyFile) deleteQuietly(keyFile);
        }
    }

    /** Adds a slot of the named type; the existing secret unlocks, the new one comes from the "new" options (or the device). */
    public KeySlot addSlot(ProfileId profile, String slotType, Optional<Path> newKeyFile, Optional<Path> newPassphraseFile) {
        return addSlot(profile, slotType, newKeyFile, newPassphraseFile, Optional.empty());
    }

    /**
     * As {@link #addSlot(ProfileId, String, Optional, Optional)}, with a label naming the slot (e.g.
     * "owner", "recovery, in the safe") so a person recovering the vault knows which passphrase
     * goes with which slot; a key-file slot's label is always its path.
     */
    public KeySlot addSlot(ProfileId profile, String slotType, Optional<Path> newKeyFile, Optional<Path> newPassphraseFile,
                           Optional<String> label) {
        SlotType type = SlotType.of(slotType);
        label.ifPresent(l -> requireLabel(type, l));
        Profile p = component.keyAccess().profile(profile);
        Path keyFile = newKeyFile.map(f -> f.toAbsolutePath().normalize())
                .orElse(home.resolve("keys").resolve(profile + "-slot" + p.nextSlotId() + ".key"));
        return withNewSecret(type, keyFile, newPassphraseFile, label, slot ->
                component.addKeySlot().execute(new AddKeySlot.Request(profile, slot)));
    }

    /**
     * Recovers the owner key of {@code profile} from Shamir share documents (docs/FORMAT.md §15) into
     * a new owner passphrase slot, its passphrase from {@code newPassphraseFile} or typed twice.
     */
    public KeySlot recoverFromEscrow(ProfileId profile, List<org.memoryvault.domain.port.KeyEscrow.ShareDocument> shares,
                                     Optional<Path> newPassphraseFile, Optional<String> label) {
        label.ifPresent(l -> requireLabel(SlotType.PASSPHRASE, l));
        return withNewSecret(SlotType.PASSPHRASE, home.resolve("unused"), newPassphraseFile, Optional.of(label.orElse("recovered from escrow")),
                slot -> component.keyEscrows().recover(profile, shares, slot));
    }

    /**
     * Binds level 5 of a profile to a device of {@code slotType} (docs/HARDWARE.md, "Level 5"). The
     * first binding also makes a recovery code, returned once, that opens the device secret when
     * every device is lost; binding another device takes the secret from a bound device that
     * answers, or from the recovery code in {@code recoveryCodeFile}.
     */
    public BoundLevel5 bindLevel5(ProfileId profile, String slotType, Optional<Path> recoveryCodeFile) {
        SlotType type = SlotType.of(slotType);
        boolean newCode = type.equals(SlotType.RECOVERY_CODE);
        if (!newCode && component.keySource().input(type) != org.memoryvault.domain.port.SlotBackend.SecretInput.NONE) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "level 5 is bound to a device (a slot type that needs"
                    + " nothing typed, such as tpm2, fido2 or yubikey), or given a new recovery code (recovery-code), not a "
                    + type.wireName());
        }
        boolean first = !component.keyAccess().profile(profile).locks().level5Bound();
        if (first && (recoveryCodeFile.isPresent() || newCode)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "level 5 of profile " + profile + " is not bound yet: bind it"
                    + " to a device first (--type tpm2|fido2|yubikey), which makes its recovery code");
        }
        Optional<String> code = first || newCode ? Optional.of(RecoveryCodes.generate()) : Optional.empty();
        List<SlotSecret> opened = new ArrayList<>();
        try (SlotSecret device = newCode ? SlotSecret.of(type, code.orElseThrow().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : SlotSecret.of(type, new byte[0])) {
            Optional<NewSlot> recovery = code.filter(c -> first).map(c -> {
                SlotSecret s = SlotSecret.of(SlotType.RECOVERY_CODE, c.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                opened.add(s);
                return new NewSlot("recovery code", s);
            });
            Optional<SlotSecret> given = recoveryCodeFile.map(f -> {
                char[] typed = RecoveryCodes.normalise(CliSecretProvider.readRecoveryCodeFile(f));
                try {
                    SlotSecret s = SlotSecret.of(SlotType.RECOVERY_CODE, new String(typed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    opened.add(s);
                    return s;
                } finally {
                    Arrays.fill(typed, '\0');
                }
            });
            var r = component.level5Binding().bind(new org.memoryvault.domain.usecase.Level5Binding.Request(profile,
                    new NewSlot(newCode ? "recovery code" : type.wireName(), device), recovery, given));
            return new BoundLevel5(r.device(), r.recovery(), r.resealed(), code);
        } finally {
            opened.forEach(SlotSecret::close);
        }
    }

    /** A device bound to level 5: its slot, the recovery slot and code of a first binding, and how many memories were re-sealed. */
    public record BoundLevel5(KeySlot device, Optional<KeySlot> recoverySlot, long resealed, Optional<String> recoveryCode) {
        @Override public String toString() { return "BoundLevel5[slot " + device.slotId() + ", resealed " + resealed + ", code redacted]"; }
    }

    /** The vault's own files a backup carries: config.toml and the audit signing keys (never key files or sessions). */
    private List<org.memoryvault.domain.model.BackupRecord> backupFiles() {
        List<org.memoryvault.domain.model.BackupRecord> files = new ArrayList<>();
        try {
            Path config = home.resolve("config.toml");
            if (Files.isRegularFile(config, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                files.add(org.memoryvault.domain.model.BackupRecord.file("config.toml", Files.readAllBytes(config)));
            }
            Path audit = home.resolve("audit");
            if (Files.isDirectory(audit, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var list = Files.list(audit)) {
                    for (Path f : list.sorted().toList()) {
                        String name = f.getFileName().toString();
                        if (BACKUP_AUDIT_FILE.matcher(name).matches() && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            files.add(org.memoryvault.domain.model.BackupRecord.file("audit/" + name, Files.readAllBytes(f)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read the vault's files for the backup: " + e.getMessage());
        }
        return files;
    }

    private static final java.util.regex.Pattern BACKUP_AUDIT_FILE = java.util.regex.Pattern.compile("signing-key-[0-9]{1,9}");

    /** The backup passphrase from its 0600 file (a backup's own passphrase, not the owner's). */
    private static SlotSecret backupPassphrase(Path file) {
        return secretFromFile(file, "backup passphrase file");
    }

    private static SlotSecret secretFromFile(Path file, String noun) {
        char[] chars = CliSecretProvider.readSecretFileNamed(file, noun);
        try {
            return SlotSecret.passphrase(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** What opens a backup: exactly one of its passphrase file and an age identity file (0600, as a passphrase file). */
    private static org.memoryvault.domain.usecase.Backups.Opener backupOpener(Optional<Path> passphraseFile, Optional<Path> identityFile) {
        if (passphraseFile.isPresent() == identityFile.isPresent()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "give exactly one of --backup-passphrase-file (a backup made"
                    + " under a passphrase) and --identity (a backup made for age recipients)");
        }
        return passphraseFile.isPresent()
                ? new org.memoryvault.domain.usecase.Backups.Opener.Passphrase(backupPassphrase(passphraseFile.get()))
                : new org.memoryvault.domain.usecase.Backups.Opener.Identities(secretFromFile(identityFile.get(), "age identity file"));
    }

    private static void close(org.memoryvault.domain.usecase.Backups.Opener opener) {
        if (opener instanceof org.memoryvault.domain.usecase.Backups.Opener.Passphrase p) p.passphrase().close();
        else ((org.memoryvault.domain.usecase.Backups.Opener.Identities) opener).identityFile().close();
    }

    /**
     * Writes a full backup of this vault to {@code file} (created new, 0600; removed again if the
     * backup fails), encrypted under the passphrase in {@code passphraseFile}, or, with
     * {@code recipients} instead, to those age X25519 recipients (docs/FORMAT.md §14).
     */
    public org.memoryvault.domain.usecase.Backups.Summary createBackup(Path file, Optional<Path> passphraseFile, List<String> recipients,
                                                                       Optional<String> description) {
        return createBackup(file, passphraseFile, recipients, description, false, org.memoryvault.app.progress.Progress.none());
    }

    /**
     * {@link #createBackup(Path, Optional, List, Optional)}, reporting the bytes written (against the
     * database's size) to {@code progress}; with {@code incremental}, only what changed since the
     * newest backup this vault made or was restored from (docs/FORMAT.md §14).
     */
    public org.memoryvault.domain.usecase.Backups.Summary createBackup(Path file, Optional<Path> passphraseFile, List<String> recipients,
            Optional<String> description, boolean incremental, org.memoryvault.app.progress.Progress.Factory progress) {
        if (passphraseFile.isPresent() == !recipients.isEmpty()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "give exactly one of --backup-passphrase-file and --recipient"
                    + " (one or more age1... recipients)");
        }
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "will not overwrite " + file);
        }
        boolean done = false;
        SlotSecret passphrase = passphraseFile.map(Vault::backupPassphrase).orElse(null);
        try (org.memoryvault.domain.model.OwnedKey owner = component.ownerProof().proveVaultOwner();   // an owner operation
             var bar = progress.start("backup", databaseBytes());
             var out = new java.io.BufferedOutputStream(org.memoryvault.app.progress.ProgressStreams.counting(
                     Files.newOutputStream(Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                             java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))),
                     java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS), bar), 1 << 16)) {
            var protection = passphrase != null ? new org.memoryvault.domain.usecase.Backups.Protection.Passphrase(passphrase)
                    : new org.memoryvault.domain.usecase.Backups.Protection.Recipients(recipients);
            var summary = component.backups().create(out, protection, description, this::backupFiles,
                    org.memoryvault.domain.model.Requester.OWNER_NAME, owner.key(), incremental);
            out.flush();
            done = true;
            return summary;
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot write " + file + ": " + e.getMessage());
        } finally {
            if (passphrase != null) passphrase.close();
            if (!done) deleteQuietly(file);
        }
    }

    /**
     * Imports a vault of the Python original (docs/IMPORT.md) into this one, an owner operation:
     * {@code db} its vault.db (read only); KeyFile keys from {@code keyfileDir} (default: the
     * {@code keys} directory beside {@code db}), {@code <profile>.key}, 32 raw bytes; the legacy
     * passphrase for passphrase profiles from {@code legacyPassphraseFile}; {@code profileMap}
     * legacy profile to profile of this vault (default: the owner profile). Progress counts memories.
     */
    public org.memoryvault.domain.usecase.ImportLegacy.Report importLegacy(Path db, Optional<Path> keyfileDir,
            Optional<Path> legacyPassphraseFile, java.util.Map<String, String> profileMap, boolean dryRun,
            org.memoryvault.app.progress.Progress.Factory progress) {
        return importLegacy(db, Optional.empty(), keyfileDir, legacyPassphraseFile, profileMap, dryRun, false, progress);
    }

    /**
     * {@link #importLegacy(Path, Optional, Optional, java.util.Map, boolean, org.memoryvault.app.progress.Progress.Factory)}
     * of {@code source}: with {@code backupPassphraseFile}, a backup file of the original (its
     * JSON container, opened with that passphrase; memories only, no recall log), else its vault.db.
     */
    public org.memoryvault.domain.usecase.ImportLegacy.Report importLegacy(Path source, Optional<Path> backupPassphraseFile,
            Optional<Path> keyfileDir, Optional<Path> legacyPassphraseFile, java.util.Map<String, String> profileMap, boolean dryRun,
            boolean trustLegacyLevels, org.memoryvault.app.progress.Progress.Factory progress) {
        Path db = source;
        Path keys = keyfileDir.orElseGet(() -> Objects.requireNonNullElse(db.toAbsolutePath().getParent(), Path.of(".")).resolve("keys"));
        java.util.Map<String, org.memoryvault.domain.model.ProfileId> mapped = new java.util.HashMap<>();
        for (var e : profileMap.entrySet()) {
            org.memoryvault.domain.model.ProfileId target = org.memoryvault.domain.model.ProfileId.of(e.getValue());
            component.keyAccess().profile(target);          // NOT_FOUND_PROFILE before anything is read
            mapped.put(e.getKey(), target);
        }
        SlotSecret passphrase = legacyPassphraseFile.map(f -> secretFromFile(f, "legacy passphrase file")).orElse(null);
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
        try (org.memoryvault.domain.model.OwnedKey owner = component.ownerProof().proveVaultOwner();   // before any Argon2id run
             var legacy = backupPassphraseFile.isPresent() ? openLegacyBackup(db, backupPassphraseFile.get())
                     : org.memoryvault.storage.sqlite.SqliteLegacyVault.open(db);
             var bar = progress.start(dryRun ? "import (dry run)" : "import", legacy.memoryCount())) {
            var request = new org.memoryvault.domain.usecase.ImportLegacy.Request(mapped,
                    component.vaultState().ownerProfile().orElseThrow(), dryRun, threads, trustLegacyLevels);
            var legacyKeys = new org.memoryvault.domain.usecase.ImportLegacy.Keys() {
                @Override public Optional<byte[]> keyFile(String profile) { return legacyKeyFile(keys, profile); }

                @Override public Optional<SlotSecret> passphrase() { return Optional.ofNullable(passphrase); }
            };
            return component.importLegacy().execute(legacy, legacyKeys, request, owner.key(), bar::step);
        } finally {
            if (passphrase != null) passphrase.close();
        }
    }

    private static org.memoryvault.domain.port.LegacyVault openLegacyBackup(Path file, Path passphraseFile) {
        try (SlotSecret pass = secretFromFile(passphraseFile, "legacy backup passphrase file")) {
            return org.memoryvault.adapters.legacy.JsonLegacyVault.open(file, pass, org.memoryvault.crypto.SodiumLegacyCipher.libsodium());
        }
    }

    /** A legacy KeyFile key: {@code <dir>/<profile>.key}, exactly 32 raw bytes, nothing stripped (docs/IMPORT.md). */
    private static Optional<byte[]> legacyKeyFile(Path dir, String profile) {
        if (!profile.matches("[A-Za-z0-9._-]{1,128}") || profile.startsWith(".")) return Optional.empty();
        Path file = dir.resolve(profile + ".key");
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            if (Files.size(file) != 32) {
                throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, file + " is not a legacy key file (32 raw bytes)");
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != 32) {
                Arrays.fill(key, (byte) 0);
                throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, file + " is not a legacy key file (32 raw bytes)");
            }
            return Optional.of(key);
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The database's size with its WAL: about what a backup writes (a backup of 100,000 memories was 86% of it). */
    private long databaseBytes() {
        long n = 0;
        for (String name : List.of(DATABASE_FILE, DATABASE_FILE + "-wal")) {
            try {
                n += Files.size(home.resolve(name));
            } catch (IOException e) {
                // no WAL: nothing to add
            }
        }
        return n;
    }

    /** Reads a whole backup and checks it (authentication, structure, counts), without a vault; nothing is written. */
    public static org.memoryvault.domain.usecase.Backups.Summary verify(Path file, Optional<Path> passphraseFile, Optional<Path> identityFile) {
        return verify(file, passphraseFile, identityFile, org.memoryvault.app.progress.Progress.none());
    }

    /** {@link #verify(Path, Optional, Optional)}, reporting the bytes read to {@code progress}. */
    public static org.memoryvault.domain.usecase.Backups.Summary verify(Path file, Optional<Path> passphraseFile, Optional<Path> identityFile,
                                                                        org.memoryvault.app.progress.Progress.Factory progress) {
        return readBackup(file, passphraseFile, identityFile, progress, "verify", f -> { }, rows -> {
            long n = 0;
            while (rows.records().hasNext()) {
                rows.records().next();
                n++;
            }
            return n;
        });
    }

    private static org.memoryvault.domain.usecase.Backups.Summary readBackup(Path file, Optional<Path> passphraseFile,
            Optional<Path> identityFile, org.memoryvault.app.progress.Progress.Factory progress, String task,
            java.util.function.Consumer<org.memoryvault.domain.model.BackupRecord> files,
            java.util.function.Function<org.memoryvault.domain.usecase.Backups.Rows, Long> rows) {
        var opener = backupOpener(passphraseFile, identityFile);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            close(opener);
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "no backup file " + file);
        }
        try (var bar = progress.start(task, size);
             var in = new java.io.BufferedInputStream(org.memoryvault.app.progress.ProgressStreams.counting(
                     Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS), bar), 1 << 16)) {
            return org.memoryvault.domain.usecase.Backups.read(org.memoryvault.crypto.BackupCiphers.libsodium(),
                    org.memoryvault.crypto.BackupCiphers.signatures(), in, opener, files, rows);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "no backup file " + file);
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read " + file + ": " + e.getMessage());
        } finally {
            close(opener);
        }
    }

    /**
     * Restores a backup (or a full backup and its incrementals, in the order they were made) into
     * {@code options.home()}, which must not hold a vault: everything is
     * written into a new directory beside it, checked there (the audit log against its checkpoints
     * and the owner's cosigned trees, the owner's seal against the rows, a {@code backup.restore}
     * entry appended), and only then renamed into place. Any failure removes the new directory: the
     * target is as it was. With {@code dryRun} the backup is read and checked the same way, and the
     * new directory removed.
     */
    public static org.memoryvault.domain.usecase.Backups.Summary restore(VaultOptions options, Path file, Optional<Path> passphraseFile,
                                                                         Optional<Path> identityFile, boolean dryRun) {
        return restore(options, List.of(file), passphraseFile, identityFile, dryRun, false, org.memoryvault.app.progress.Progress.none());
    }

    /**
     * {@link #restore(VaultOptions, Path, Optional, Optional, boolean)} of {@code files}: a full
     * backup, then each of its incrementals in the order they were made (each must name the file
     * before it as its parent; all open with the same secret), reporting the bytes read to
     * {@code progress}; with {@code allowUnsigned}, a backup without the owner's signature (made
     * before backups were signed) is restored too. Returns the last file's summary.
     */
    public static org.memoryvault.domain.usecase.Backups.Summary restore(VaultOptions options, List<Path> files, Optional<Path> passphraseFile,
            Optional<Path> identityFile, boolean dryRun, boolean allowUnsigned, org.memoryvault.app.progress.Progress.Factory progress) {
        if (files.isEmpty()) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "no backup file to restore");
        Path target = options.home().toAbsolutePath().normalize();
        if (Files.exists(target.resolve(DATABASE_FILE), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "a vault already exists at " + target
                    + "; restore into a new directory, or merge into it with --merge");
        }
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, target + " is not empty; restore into a new or empty directory");
        }
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the directory to hold " + target + " does not exist");
        }
        Path work = directoryBeside(parent, ".restore-", target);
        boolean keep = false;
        try {
            VaultOptions at = new VaultOptions(work, options.passphraseFile(), options.keyFile(), Optional.empty(), options.env());
            Vault[] opened = new Vault[1];
            List<org.memoryvault.domain.usecase.Backups.Summary> chain = new java.util.ArrayList<>();
            try {
                for (Path file : files) {
                    Optional<org.memoryvault.domain.usecase.Backups.Summary> before = chain.isEmpty() ? Optional.empty()
                            : Optional.of(chain.get(chain.size() - 1));
                    chain.add(readBackup(file, passphraseFile, identityFile, progress, "restore",
                            f -> writeRestoredFile(work, f, before.isPresent()), rows -> {
                        org.memoryvault.domain.usecase.Backups.requireFollows(before, rows.kind(), rows.vaultId(), rows.schema(), rows.parent());
                        if (before.isEmpty()) {
                            VaultConfig config = VaultConfig.load(work);
                            config.requireValid();
                            StorageBackend backend = StorageBackends.of(config);
                            opened[0] = wire(at, config, backend.create(work, config));
                        }
                        int schema = opened[0].component.backupRows().schemaVersion();
                        if (rows.schema() != schema) {
                            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the backup is of schema " + rows.schema()
                                    + "; this version restores schema " + schema + " only");
                        }
                        return before.isEmpty() ? opened[0].component.backupRows().importAll(rows.records())
                                : opened[0].component.backupRows().applyChanges(rows.records());
                    }));
                    if (opened[0] == null) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the backup holds no database rows");
                }
                // what was built must hold the very rows (by key) of every table the vault held when the last backup was made
                org.memoryvault.domain.usecase.Backups.requireSummary(chain.get(chain.size() - 1), opened[0].component.backupRows().tables());
            } finally {
                if (opened[0] != null) opened[0].close();
            }
            org.memoryvault.domain.usecase.Backups.Summary summary = chain.get(chain.size() - 1);
            try (Vault restored = open(at)) {
                restored.component.ownerSeals().writeWitnessFromNewest();     // in the new directory, checked below
                // the owner proves the key that signed the backup's newest seal: a backup an agent made or edited, with
                // its seals removed or re-signed, is refused here instead of being sealed by the owner's next ceremony
                try (org.memoryvault.domain.model.OwnedKey owner = restored.component.ownerProof().proveVaultOwner()) {
                    // and the owner signed the backup itself: a file written by someone else (with the backup's passphrase, or
                    // to its public age recipient) around an older sealed state is refused, whatever id and date it claims
                    for (var s : chain) restored.component.backups().requireSignedBy(s, owner.key(), allowUnsigned);
                    restored.component.ownerSeals().requireSealedBy(owner.key());
                    restored.component.ownerSeals().check();
                    var v = restored.component.auditVerifier().verify(restored.component.ownerSeals().cosignedTrees());
                    if (v.firstProblem().isPresent()) {
                        throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_AUDIT_LOG,
                                "the backup's audit log does not verify: " + v.firstProblem().get().describe(), null);
                    }
                    if (!dryRun) {
                        restored.component.backups().recordRestore(chain, owner.key());
                        restored.finish();
                    }
                }
            }
            if (dryRun) return summary;
            try {
                if (Files.exists(target)) Files.delete(target);          // empty, checked above
                Files.move(work, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot move the restored vault to " + target + ": " + e.getMessage());
            }
            keep = true;
            return summary;
        } finally {
            if (!keep) deleteTree(work);
        }
    }

    /** A new 0700 directory {@code prefix*} in {@code parent}, beside {@code target}, for work moved or removed after. */
    private static Path directoryBeside(Path parent, String prefix, Path target) {
        try {
            return Files.createTempDirectory(parent, prefix, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot create a directory beside " + target + ": " + e.getMessage());
        }
    }

    /** What {@link #merge} did, and the backup it merged. */
    public record Merged(org.memoryvault.domain.usecase.Backups.Summary backup, org.memoryvault.domain.port.BackupRows.MergeReport report) {}

    /**
     * Merges a backup of this vault (a full backup, then its incrementals) into the vault at
     * {@code options.home()} (docs/FORMAT.md §14, "Merging"): the chain is restored, with every
     * check of {@link #restore}, into a directory of its own beside the vault (removed after); its
     * memories new here are inserted, identical ones skipped, and conflicting ones refused unless
     * {@code prefer} says which side wins; an owner ceremony, audited as {@code backup.merge}.
     */
    public static Merged merge(VaultOptions options, List<Path> files, Optional<Path> passphraseFile, Optional<Path> identityFile,
                               boolean allowUnsigned, org.memoryvault.domain.port.BackupRows.Prefer prefer, boolean dryRun,
                               org.memoryvault.app.progress.Progress.Factory progress) {
        Path home = options.home().toAbsolutePath().normalize();
        if (!Files.exists(home.resolve(DATABASE_FILE), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "no vault at " + home + " to merge into (restore without --merge)");
        }
        Path parent = Objects.requireNonNull(home.getParent(), "parent");
        Path work = directoryBeside(parent, ".merge-", home);
        try {
            Path copy = work.resolve("vault");
            VaultOptions at = new VaultOptions(copy, options.passphraseFile(), options.keyFile(), Optional.empty(), options.env(),
                    Optional.empty());
            var backup = restore(at, files, passphraseFile, identityFile, false, allowUnsigned, progress);
            try (Vault restored = open(at); Vault vault = open(options)) {
                vault.component().ownerSeals().check();
                var report = vault.run("restore --merge", () -> {
                    try (org.memoryvault.domain.model.OwnedKey owner = vault.component().ownerProof().proveVaultOwner()) {
                        return vault.component().mergeBackup().merge(restored.component().backupRows(), restored.component().transactions(),
                                restored.component().ownerSeals(), backup, prefer, dryRun, owner.key());
                    }
                });
                vault.finish();
                return new Merged(backup, report);
            }
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Writes a file record of a backup into the new vault directory: only the names a backup
     * carries, 0600 (0700 directories); an incremental's ({@code replace}) takes the place of the
     * file its parent wrote, by rename.
     */
    private static void writeRestoredFile(Path dir, org.memoryvault.domain.model.BackupRecord f, boolean replace) {
        String name = f.name();
        boolean allowed = name.equals("config.toml")
                || (name.startsWith("audit/") && BACKUP_AUDIT_FILE.matcher(name.substring("audit/".length())).matches());
        if (!allowed) {
            throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                    "the backup is damaged: a file record for a name a backup never holds", null);
        }
        Path to = dir.resolve(name);
        try {
            Path parent = Objects.requireNonNull(to.getParent());
            if (!Files.isDirectory(parent)) {
                Files.createDirectory(parent, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            Path write = replace ? to.resolveSibling(to.getFileName() + ".new") : to;
            if (replace) Files.deleteIfExists(write);
            Files.write(Files.createFile(write, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))), f.content());
            if (replace) Files.move(write, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new org.memoryvault.domain.error.IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                    "the backup is damaged: two file records for " + name, null);
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot write " + to + ": " + e.getMessage());
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (var list = Files.list(dir)) {
            return list.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes a directory this process made, and what it holds (no links are followed). */
    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a directory named .restore-* is left for the user to remove
        }
    }

    /** Replaces one slot's secret. A key-file slot gets a new key file; delete the old one afterwards. */
    public KeySlot rewrap(ProfileId profile, int slotId, Optional<Path> newKeyFile, Optional<Path> newPassphraseFile) {
        Profile p = component.keyAccess().profile(profile);
        KeySlot old = p.slot(slotId).orElseThrow(() -> new org.memoryvault.domain.error.NotFoundException(
                ErrorCode.NOT_FOUND_SLOT, "profile " + profile + " has no key slot " + slotId));
        Path keyFile = newKeyFile.map(f -> f.toAbsolutePath().normalize())
                .orElse(home.resolve("keys").resolve(profile + "-slot" + slotId + "-" + System.currentTimeMillis() + ".key"));
        Optional<String> label = old.type().equals(SlotType.KEY_FILE) ? Optional.empty() : Optional.of(old.label());
        return withNewSecret(old.type(), keyFile, newPassphraseFile, label, slot ->
                component.rewrapProfile().execute(new RewrapProfile.Request(profile, slotId, slot)));
    }

    /** A slot label: 1-64 characters without control characters, and not for key-file slots (whose label is their path). */
    private static void requireLabel(SlotType type, String label) {
        if (type.equals(SlotType.KEY_FILE)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a key-file slot's label is its file's path; --label is for other slots");
        }
        if (label.isBlank() || label.codePointCount(0, label.length()) > 64
                || label.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a slot label is 1-64 characters without control or format characters");
        }
    }

    private KeySlot withNewSecret(SlotType type, Path keyFile, Optional<Path> newPassphraseFile, Optional<String> label,
                                  java.util.function.Function<NewSlot, KeySlot> action) {
        org.memoryvault.domain.port.SlotBackend.SecretInput input = component.keySource().input(type);
        if (input == org.memoryvault.domain.port.SlotBackend.SecretInput.NONE) {
            try (SlotSecret device = SlotSecret.of(type, new byte[0])) {
                return action.apply(new NewSlot(label.orElse(type.wireName()), device));
            }
        }
        if (input == org.memoryvault.domain.port.SlotBackend.SecretInput.KEY_FILE) {
            if (!type.equals(SlotType.KEY_FILE)) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "slot type " + type.wireName()
                        + " takes a key file of its own; only keyfile slots can be made here");
            }
            refuseExisting(keyFile);
            SlotSecret created = KeyFiles.generate(keyFile);  // creates nothing when it fails: only our own file is ever deleted
            boolean keep = false;
            try (SlotSecret s = created) {
                KeySlot slot = action.apply(new NewSlot(keyFile.toString(), s));
                keep = true;
                return slot;
            } finally {
                if (!keep) deleteQuietly(keyFile);
            }
        }
        Optional<char[]> chars = newPassphraseFile.map(CliSecretProvider::readPassphraseFile).or(Vault::promptNewPassphrase);
        try (SlotSecret typed = newPassphrase(chars, "give the new passphrase with --new-passphrase-file FILE");
             SlotSecret s = type.equals(SlotType.PASSPHRASE) ? typed : SlotSecret.of(type, typed.revealForCrypto().clone())) {
            noticeNewPassphraseSlot();
            return action.apply(new NewSlot(label.orElse(type.equals(SlotType.PASSPHRASE) ? "passphrase" : type.wireName()), s));
        } finally {
            chars.ifPresent(c -> Arrays.fill(c, '\0'));
        }
    }

    private static Optional<char[]> promptNewPassphrase() {
        Console console = System.console();
        if (console == null) return Optional.empty();
        char[] a = console.readPassword("New passphrase: ");
        char[] b = console.readPassword("Repeat it: ");
        if (a == null || b == null || !Arrays.equals(a, b)) {
            if (a != null) Arrays.fill(a, '\0');
            if (b != null) Arrays.fill(b, '\0');
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "the passphrases do not match");
        }
        Arrays.fill(b, '\0');
        return Optional.of(a);
    }

    private static SlotSecret newPassphrase(Optional<char[]> chars, String hint) {
        char[] c = chars.orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING,
                "a new passphrase is needed and there is no terminal to ask on; " + hint));
        if (c.length < 8) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a passphrase must have at least 8 characters");
        return SlotSecret.passphrase(c);
    }

    private static void refuseExisting(Path keyFile) {
        if (Files.exists(keyFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {     // a dangling link counts: never written through
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "will not overwrite the existing file " + keyFile);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the key file never wrapped anything, so it opens nothing
        }
    }

    /** Why the last periodic checkpoint failed; null after one that succeeded. */
    private volatile org.memoryvault.domain.error.@org.jspecify.annotations.Nullable VaultException checkpointFailure;

    /**
     * For long-running processes (an embedding application, a server): signs a checkpoint every
     * {@code audit.checkpoint-interval} if the log grew, on a daemon thread, until {@link #close()}.
     * The CLI does not need it: every command signs one at its end ({@link #finish()}).
     */
    public synchronized void startPeriodicCheckpoints() {
        if (checkpointer != null) return;
        java.time.Duration every = config.duration(ConfigKey.AUDIT_CHECKPOINT_INTERVAL);
        checkpointer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vault-audit-checkpoints");
            t.setDaemon(true);
            return t;
        });
        checkpointer.scheduleWithFixedDelay(this::checkpointQuietly, every.toMillis(), every.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void checkpointQuietly() {
        try {
            component.auditCheckpoints().checkpointIfGrown();
            component.ownerSeals().publish();
            checkpointFailure = null;
        } catch (org.memoryvault.domain.error.VaultException e) {
            checkpointFailure = e;         // reported by the next operation (checkpointFailure()); the next tick tries again
        } catch (RuntimeException e) {
            // anything else must not end the schedule (an exception would cancel it for good)
            checkpointFailure = new org.memoryvault.domain.error.InternalVaultException(ErrorCode.INTERNAL_ERROR,
                    "signing a checkpoint of the audit log failed", e);
        }
    }

    /**
     * Why the last periodic checkpoint ({@link #startPeriodicCheckpoints}) failed, if it did: a log
     * that is cut back or rewritten, which a long-running process must report rather than sign past.
     */
    public Optional<org.memoryvault.domain.error.VaultException> checkpointFailure() { return Optional.ofNullable(checkpointFailure); }

    /**
     * End of a command: sign a checkpoint if the audit log grew, and write the owner-seal witness if
     * this command sealed; returns a note if the witness could not be written (the work is done).
     */
    public Optional<String> finish() {
        component.auditCheckpoints().checkpointIfGrown();
        return component.ownerSeals().publish();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (checkpointer != null) {
                checkpointer.shutdownNow();
                checkpointer = null;
            }
        }
        try {
            synchronized (this) {
                if (requester instanceof Requester.Agent a) a.key().close();
            }
            unlocked.forgetAll();
            secrets.close();
        } finally {
            database.close();
        }
    }

    @Override public String toString() { return "Vault[" + home + "]"; }

}
