package org.memoryvault.hardware.tpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.SlotBackend;

/**
 * A key slot sealed in a TPM 2.0 (docs/HARDWARE.md §6): enrolment makes a random 32-byte KEK and
 * seals it as a keyed-hash data object under the owner hierarchy's storage primary key (ECC P-256,
 * recreated from its template at each use, so nothing persistent is needed in the TPM), with a
 * policy that allows unsealing only while the chosen PCRs of the SHA-256 bank hold the values they
 * held at enrolment. The slot stores the sealed object (public and private parts, which only this
 * TPM can load) and the PCR list. Nothing is typed; the TPM and the machine's measured state are
 * the secret.
 *
 * <p>Device: {@code $MEMORY_VAULT_TPM}, either a character device (default {@code /dev/tpmrm0}) or
 * {@code tpm:tcp:HOST:PORT} for a software TPM (swtpm) over TCP. PCRs for new slots:
 * {@code $MEMORY_VAULT_TPM_PCRS} (comma-separated, default {@code 7}).
 *
 * <p>Security: the KEK never leaves the TPM unsealed except into this process when the policy is
 * met; a copy of vault.db without this TPM (or after a PCR change) cannot open the slot.
 * Unsealing travels unencrypted between TPM and process (no session encryption yet): someone who
 * can read the TPM bus or the swtpm socket sees the KEK.
 */
public final class Tpm2SlotBackend implements SlotBackend {
    public static final SlotType TYPE = SlotType.of("tpm2");
    public static final String ENV_DEVICE = "MEMORY_VAULT_TPM";
    public static final String ENV_PCRS = "MEMORY_VAULT_TPM_PCRS";
    public static final String DEFAULT_DEVICE = "/dev/tpmrm0";
    private static final byte FORMAT = 1;

    private final String device;
    private final Optional<String> pcrsText;
    private final int @org.jspecify.annotations.Nullable [] pcrs;
    private final SecureRandom random;
    private final SlotType type;
    private final @org.jspecify.annotations.Nullable SecretProvider pins;

    /** The device and PCRs from the environment (see the class comment). */
    @jakarta.inject.Inject
    public Tpm2SlotBackend(SecureRandom random) {
        // read, not checked, here: a backend is made at every start, and a bad value must fail add-slot only
        this.device = configuredDevice();
        this.pcrsText = Optional.ofNullable(System.getenv(ENV_PCRS)).filter(s -> !s.isBlank());
        this.pcrs = null;
        this.random = Objects.requireNonNull(random, "random");
        this.type = TYPE;
        this.pins = null;
    }

    public Tpm2SlotBackend(String device, int[] pcrs, SecureRandom random) {
        this(device, null, pcrs, random, TYPE, null);
    }

    /** The backend of {@link Tpm2PinSlotBackend}: with {@code pins}, every slot also needs its PIN. */
    Tpm2SlotBackend(String device, @org.jspecify.annotations.Nullable String pcrsText, int @org.jspecify.annotations.Nullable [] pcrs,
                    SecureRandom random, SlotType type, @org.jspecify.annotations.Nullable SecretProvider pins) {
        this.device = Objects.requireNonNull(device, "device");
        this.pcrsText = Optional.ofNullable(pcrsText);
        this.pcrs = pcrs == null ? null : pcrs.clone();
        this.random = Objects.requireNonNull(random, "random");
        this.type = type;
        this.pins = pins;
        if (pcrs != null && pcrs.length == 0) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a TPM slot needs at least one PCR");
    }

    /** The PCRs new slots are sealed to: as given, else {@code $MEMORY_VAULT_TPM_PCRS}, else 7. */
    private int[] pcrsForNewSlots() {
        int[] given = pcrs;
        return given != null ? given.clone() : parsePcrs(pcrsText.orElse("7"));
    }

    /** {@code "0,2,7"} as PCR numbers 0-23, each once. */
    public static int[] parsePcrs(String text) {
        try {
            int[] out = Arrays.stream(text.split(",")).map(String::strip).mapToInt(Integer::parseInt).distinct().sorted().toArray();
            if (out.length == 0 || out[0] < 0 || out[out.length - 1] > 23) throw new NumberFormatException();
            return out;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "PCRs are comma-separated numbers 0-23 (e.g. 7 or 0,2,7), not '"
                    + text + "'");
        }
    }

    @Override public SlotType type() { return type; }

    @Override public SecretInput input() { return SecretInput.NONE; }

    /** The shortest PIN a tpm2-pin slot takes: the TPM's lockout slows guessing, it does not make 4 digits safe. */
    public static final int MIN_PIN = 6;

    @Override
    public Enrolment enrol(SlotSecret secret, KdfParameters kdf) {
        int[] pcrs = pcrsForNewSlots();
        if (pins != null) requireLockoutPassword();
        byte[] kek = new byte[KeyEncryptionKey.BYTES];
        random.nextBytes(kek);
        byte[] authValue = pins == null ? null : authValue("PIN for the new tpm2-pin slot", true);
        try {
            byte[][] sealed = TpmCommands.seal(device, pcrs, kek, authValue);
            byte[] params = encode(pcrs, sealed[0], sealed[1]);
            return new Enrolment(KeyEncryptionKey.adopt(kek.clone()), params, Optional.empty());
        } catch (Failure e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " refused to seal a key (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(kek, (byte) 0);
            if (authValue != null) Arrays.fill(authValue, (byte) 0);
        }
    }

    /** A tpm2-pin slot is worth its PIN only while no process can reset the TPM's lockout: the lockout hierarchy needs a password. */
    private void requireLockoutPassword() {
        boolean set;
        try {
            set = TpmCommands.lockoutAuthSet(device);
        } catch (Failure e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " did not say whether its lockout"
                    + " hierarchy has a password (" + e.getMessage() + ")");
        }
        if (!set) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " has no lockout password, so any"
                    + " process could reset its dictionary-attack lockout and guess the PIN at speed; set one first (e.g."
                    + " `tpm2_changeauth -c lockout`, and keep it offline), then add the tpm2-pin slot");
        }
    }

    /**
     * The TPM auth value of a PIN: SHA-256("memory-vault/tpm2-pin" || UTF-8 PIN), so any PIN fits the
     * TPM's 32-byte limit. Only the TPM checks it, against the object's sealed auth value, counting
     * wrong tries toward its dictionary-attack lockout; nothing stored lets anyone test PINs offline.
     */
    private byte[] authValue(String purpose, boolean newPin) {
        SecretProvider p = Objects.requireNonNull(pins, "pins");
        char[] pin = p.devicePin(purpose).orElseThrow(() -> new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "a tpm2-pin slot"
                + " opens with its PIN: type it when asked (on a terminal), or name a 0600 file holding it in $MEMORY_VAULT_PIN_FILE"));
        if (newPin && pin.length < MIN_PIN) {
            Arrays.fill(pin, '\0');
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a tpm2-pin slot's PIN is at least " + MIN_PIN + " characters");
        }
        java.nio.ByteBuffer utf8 = java.nio.charset.StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(pin));
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        if (utf8.hasArray()) Arrays.fill(utf8.array(), (byte) 0);
        Arrays.fill(pin, '\0');
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update("memory-vault/tpm2-pin".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return d.digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) {
        Sealed sealed = decode(slot.salt());
        byte[] authValue = pins == null ? null : authValue("PIN of tpm2-pin slot " + slot.slotId(), false);
        try {
            byte[] unsealed = TpmCommands.unseal(device, sealed, String.valueOf(slot.slotId()), authValue);
            if (unsealed == null || unsealed.length != KeyEncryptionKey.BYTES) {
                if (unsealed != null) Arrays.fill(unsealed, (byte) 0);
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "tpm2 slot " + slot.slotId()
                        + " unsealed to something that is no key (its stored object was replaced)");
            }
            return KeyEncryptionKey.adopt(unsealed);
        } catch (Failure e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " failed (" + e.getMessage() + ")");
        } finally {
            if (authValue != null) Arrays.fill(authValue, (byte) 0);
        }
    }

    /** A TPM command that did not succeed: its name and response code (TSS.Java would print it on stdout; we never let it). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean policyFailed;
        private final boolean authFailed;
        private final boolean lockedOut;

        Failure(String command, String code, boolean policyFailed) { this(command, code, policyFailed, false, false); }

        Failure(String command, String code, boolean policyFailed, boolean authFailed, boolean lockedOut) {
            super(command + ": " + code, null, false, false);
            this.policyFailed = policyFailed;
            this.authFailed = authFailed;
            this.lockedOut = lockedOut;
        }

        /** Whether the TPM said the policy (the PCR values) is not met. */
        boolean policyFailed() { return policyFailed; }

        /** Whether the TPM said the auth value (a PIN) is wrong. */
        boolean authFailed() { return authFailed; }

        /** Whether the TPM is in dictionary-attack lockout. */
        boolean lockedOut() { return lockedOut; }
    }

    /** Where new backends look for the TPM: {@code $MEMORY_VAULT_TPM}, else {@value #DEFAULT_DEVICE}. */
    public static String configuredDevice() {
        return Optional.ofNullable(System.getenv(ENV_DEVICE)).filter(s -> !s.isBlank()).orElse(DEFAULT_DEVICE);
    }

    /** Whether a TPM answers at {@code device}: empty if it does, else why not (for `vault hardware status`). */
    public static Optional<String> probe(String device) {
        try {
            return TpmCommands.probe(device);
        } catch (AccessRefusedException | InvalidInputException e) {
            return Optional.of(e.getMessage());
        } catch (Failure e) {
            return Optional.of("the TPM at " + device + " failed (" + e.getMessage() + ")");
        }
    }

    /** A slot's parameters, read. */
    static final class Sealed {
        final int[] pcrs;
        final byte[] publicPart;
        final byte[] privatePart;

        Sealed(int[] pcrs, byte[] publicPart, byte[] privatePart) {
            this.pcrs = pcrs;
            this.publicPart = publicPart;
            this.privatePart = privatePart;
        }
    }

    /** The slot parameters: 0x01, u8 n, n PCR numbers, u16 length + TPMT_PUBLIC, u16 length + TPM2B_PRIVATE buffer. */
    static byte[] encode(int[] pcrs, byte[] publicPart, byte[] privatePart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FORMAT);
        out.write(pcrs.length);
        for (int p : pcrs) out.write(p);
        for (byte[] part : new byte[][] {publicPart, privatePart}) {
            out.write(part.length >>> 8);
            out.write(part.length & 0xff);
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static Sealed decode(byte[] params) {
        try {
            ByteBuffer b = ByteBuffer.wrap(params);
            if (b.get() != FORMAT) throw new IllegalArgumentException("format");
            int n = b.get() & 0xff;
            if (n == 0 || n > 24) throw new IllegalArgumentException("pcrs");
            int[] pcrs = new int[n];
            for (int i = 0; i < n; i++) {
                pcrs[i] = b.get() & 0xff;
                if (pcrs[i] > 23) throw new IllegalArgumentException("pcr");
            }
            byte[][] parts = new byte[2][];
            for (int i = 0; i < 2; i++) {
                parts[i] = new byte[b.getShort() & 0xffff];
                b.get(parts[i]);
            }
            if (b.hasRemaining()) throw new IllegalArgumentException("trailing bytes");
            return new Sealed(pcrs, parts[0], parts[1]);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            // refused like a wrong device, so the profile's other slots are still tried (the owner's seal flags the edit)
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the tpm2 slot's parameters are malformed");
        }
    }
}
