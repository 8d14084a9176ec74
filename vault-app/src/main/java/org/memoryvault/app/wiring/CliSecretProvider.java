package org.memoryvault.app.wiring;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.crypto.KeyFiles;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.SlotBackend;

/**
 * Secrets for the CLI, by the input the slot's backend takes. Key files: the file given with
 * {@code --key-file}, else the path the slot's label names, if it exists. Passphrases:
 * {@code --passphrase-file}, else {@code $MEMORY_VAULT_PASSPHRASE_FILE}, else a prompt on the
 * terminal (never stdin, never argv). Devices: an empty secret (the backend talks to its device).
 *
 * <p>Security: the passphrase is read once per process and wiped on {@link #close()}.
 */
public final class CliSecretProvider implements SecretProvider, AutoCloseable {
    public static final String ENV_PASSPHRASE_FILE = "MEMORY_VAULT_PASSPHRASE_FILE";
    /** A passphrase file longer than this is not a passphrase file. */
    public static final int MAX_PASSPHRASE_FILE_BYTES = 4096;
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    private final Optional<Path> passphraseFile;
    private final Optional<Path> keyFile;
    private final Optional<Path> totpCodeFile;
    private volatile Optional<Path> devicePinFile = Optional.empty();
    private final boolean prompt;
    private char @org.jspecify.annotations.Nullable [] passphrase;
    /** Per thread: in a long-running process, concurrent operations each name their own profile when a secret is wrong. */
    private final ThreadLocal<Optional<String>> lastProfile = ThreadLocal.withInitial(Optional::empty);
    private volatile java.util.function.Consumer<String> notices = line -> { };

    public CliSecretProvider(Optional<Path> passphraseFile, Optional<Path> keyFile, boolean prompt) {
        this(passphraseFile, keyFile, Optional.empty(), prompt);
    }

    public CliSecretProvider(Optional<Path> passphraseFile, Optional<Path> keyFile, Optional<Path> totpCodeFile, boolean prompt) {
        this.totpCodeFile = Objects.requireNonNull(totpCodeFile, "totpCodeFile");
        this.passphraseFile = Objects.requireNonNull(passphraseFile, "passphraseFile");
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        this.prompt = prompt;
    }

    @Override
    public Optional<SlotSecret> secretFor(Profile profile, KeySlot slot, SlotBackend.SecretInput input) {
        lastProfile.set(Optional.of(profile.id().value()));
        switch (input) {
            case KEY_FILE: {
                Path path;
                try {
                    path = keyFile.orElse(Path.of(slot.label()));
                } catch (java.nio.file.InvalidPathException notAPath) {
                    return Optional.empty();                 // a label that names no file: this slot cannot be opened here
                }
                if (keyFile.isEmpty() && !Files.exists(path)) return Optional.empty();
                SlotSecret file = KeyFiles.load(path);
                if (slot.type().equals(SlotType.KEY_FILE)) return Optional.of(file);
                try (file) {
                    return Optional.of(SlotSecret.of(slot.type(), file.revealForCrypto().clone()));
                }
            }
            case PASSPHRASE:
                boolean code = slot.type().equals(SlotType.RECOVERY_CODE);
                return passphrase((code ? "Recovery code" : "Passphrase") + " for profile " + profile.id() + ": ").map(chars -> {
                    char[] typed = code ? RecoveryCodes.normalise(chars.clone()) : chars;
                    SlotSecret p = SlotSecret.passphrase(typed);
                    if (code) java.util.Arrays.fill(typed, '\0');
                    if (slot.type().equals(SlotType.PASSPHRASE)) return p;
                    try (p) {
                        return SlotSecret.of(slot.type(), p.revealForCrypto().clone());
                    }
                });
            case NONE:
                return Optional.of(SlotSecret.of(slot.type(), new byte[0]));
            default:
                return Optional.empty();
        }
    }

    /** The profile whose secret this thread asked for last (names a wrong secret in the audit log), if any. */
    public Optional<String> lastProfile() { return lastProfile.get(); }

    @Override public boolean hasPassphraseAtHand() { return passphraseFile.isPresent(); }

    /** Where {@link #beforeSlowStep} notices go (the CLI: stderr, when it is a terminal); nowhere until set. */
    public void showNotices(java.util.function.Consumer<String> sink) { notices = Objects.requireNonNull(sink, "sink"); }

    @Override public void beforeSlowStep(String what) { notices.accept(what); }

    /**
     * A TOTP code: from {@code --totp-code-file} (0600 like every secret file; one line of 6 to 8
     * digits, one trailing newline allowed), else typed at the terminal (not echoed), else none. Read
     * anew at each call: a code is used once.
     */
    @Override
    public synchronized Optional<String> oneTimeCode(String purpose) {
        if (totpCodeFile.isPresent()) {
            char[] chars = readSecretFile(totpCodeFile.get(), "TOTP code file");
            try {
                String code = new String(chars).strip();
                if (!code.matches("[0-9]{6,8}")) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the TOTP code file " + totpCodeFile.get()
                            + " must hold one code of 6 to 8 digits");
                }
                return Optional.of(code);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
        if (!prompt) return Optional.empty();
        Console console = System.console();
        if (console == null) return Optional.empty();
        char[] typed = console.readPassword("%s: ", purpose);
        if (typed == null) return Optional.empty();
        String code = new String(typed).strip();
        Arrays.fill(typed, '\0');
        return code.isEmpty() ? Optional.empty() : Optional.of(code);
    }

    /** Where a device PIN (a security key's, a tpm2-pin slot's) is read from ({@code $MEMORY_VAULT_PIN_FILE}) instead of the terminal. */
    public void devicePinFile(Optional<Path> file) { devicePinFile = Objects.requireNonNull(file, "file"); }

    /**
     * A device PIN: from the file {@code $MEMORY_VAULT_PIN_FILE} names (0600, one line),
     * else typed at the terminal (not echoed), else none.
     */
    @Override
    public synchronized Optional<char[]> devicePin(String purpose) {
        Optional<Path> file = devicePinFile;
        if (file.isPresent()) return Optional.of(readSecretFile(file.get(), "security-key PIN file"));
        if (!prompt) return Optional.empty();
        Console console = System.console();
        if (console == null) return Optional.empty();
        char[] typed = console.readPassword("%s: ", purpose);
        return typed == null || typed.length == 0 ? Optional.empty() : Optional.of(typed);
    }

    /** The passphrase from the file or the terminal, read once; empty if neither is available. */
    public synchronized Optional<char[]> passphrase(String promptText) {
        if (passphrase == null) {
            if (passphraseFile.isPresent()) {
                passphrase = readPassphraseFile(passphraseFile.get());
            } else if (prompt) {
                Console console = System.console();
                if (console == null) return Optional.empty();
                char[] typed = console.readPassword("%s", promptText);
                if (typed == null) return Optional.empty();
                passphrase = typed;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(passphrase);
    }

    /**
     * Reads a passphrase file: UTF-8, one trailing newline (LF or CRLF) removed, not empty. Like a
     * key file, it is refused ({@code INPUT_PASSPHRASE_FILE}) when its group or others have any
     * permission (a pipe such as {@code <(pass show vault)} is 0600 and fine), and when it is larger
     * than {@value #MAX_PASSPHRASE_FILE_BYTES} bytes.
     */
    public static char[] readPassphraseFile(Path file) { return readSecretFile(file, "passphrase file"); }

    /** A secret from a 0600 file, read as a passphrase file is; {@code what} names it in refusals. */
    public static char[] readSecretFileNamed(Path file, String what) { return readSecretFile(file, what); }

    /** A recovery code from a 0600 file, read as a passphrase file is (its refusals name a recovery code file). */
    public static char[] readRecoveryCodeFile(Path file) { return readSecretFile(file, "recovery code file"); }

    /** {@link #readPassphraseFile}, naming the file as {@code noun} in its errors (e.g. "TOTP code file"). */
    public static char[] readSecretFile(Path file, String noun) {
        refuseWidePermissions(file, noun);
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_PASSPHRASE_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "cannot read the " + noun + " " + file);
        }
        if (bytes.length > MAX_PASSPHRASE_FILE_BYTES) {
            Arrays.fill(bytes, (byte) 0);
            throw new InvalidInputException(ErrorCode.INPUT_PASSPHRASE_FILE, "the " + noun + " " + file + " is larger than "
                    + MAX_PASSPHRASE_FILE_BYTES + " bytes");
        }
        try {
            int n = bytes.length;
            if (n > 0 && bytes[n - 1] == '\n') n--;
            if (n > 0 && bytes[n - 1] == '\r') n--;
            if (n == 0) throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "the " + noun + " " + file + " is empty");
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "the " + noun + " " + file + " is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void refuseWidePermissions(Path file, String noun) {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms;
        try {
            java.nio.file.attribute.PosixFileAttributeView view =
                    Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class);
            if (view == null) return;                 // no POSIX permissions on this file system
            perms = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_SECRET_MISSING, "cannot read the " + noun + " " + file);
        }
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new InvalidInputException(ErrorCode.INPUT_PASSPHRASE_FILE, "the " + noun + " " + file
                    + " is accessible to others: permissions must be 0600 or stricter (chmod 600 " + file + ")");
        }
    }

    @Override
    public synchronized void close() {
        if (passphrase != null) Arrays.fill(passphrase, '\0');
        passphrase = null;
    }
}
