package org.memoryvault.hardware.tpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SlotBackend;
import tss.Tpm;
import tss.tpm.CreatePrimaryResponse;
import tss.tpm.CreateResponse;
import tss.tpm.TPM2B_DIGEST_KEYEDHASH;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPMS_ECC_PARMS;
import tss.tpm.TPMS_ECC_POINT;
import tss.tpm.TPMS_KEYEDHASH_PARMS;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_NULL_KDF_SCHEME;
import tss.tpm.TPMS_NULL_SCHEME_KEYEDHASH;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SYM_DEF;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_ECC_CURVE;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RC;
import tss.tpm.TPM_RH;
import tss.tpm.TPM_SE;

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

    private static final long COMMAND_SECONDS = 30;
    private final String device;
    private final Optional<String> pcrsText;
    private final int @org.jspecify.annotations.Nullable [] pcrs;
    private final SecureRandom random;

    /** The device and PCRs from the environment (see the class comment). */
    @jakarta.inject.Inject
    public Tpm2SlotBackend(SecureRandom random) {
        // read, not checked, here: a backend is made at every start, and a bad value must fail add-slot only
        this.device = configuredDevice();
        this.pcrsText = Optional.ofNullable(System.getenv(ENV_PCRS)).filter(s -> !s.isBlank());
        this.pcrs = null;
        this.random = Objects.requireNonNull(random, "random");
    }

    public Tpm2SlotBackend(String device, int[] pcrs, SecureRandom random) {
        this.device = Objects.requireNonNull(device, "device");
        this.pcrsText = Optional.empty();
        this.pcrs = pcrs.clone();
        this.random = Objects.requireNonNull(random, "random");
        if (pcrs.length == 0) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a TPM slot needs at least one PCR");
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

    @Override public SlotType type() { return TYPE; }

    @Override public SecretInput input() { return SecretInput.NONE; }

    @Override
    public Enrolment enrol(SlotSecret secret, KdfParameters kdf) {
        int[] pcrs = pcrsForNewSlots();
        byte[] kek = new byte[KeyEncryptionKey.BYTES];
        random.nextBytes(kek);
        try (Session s = connect()) {
            TPM_HANDLE primary = s.primary();
            TPM_HANDLE trial = s.pcrSession(pcrs, TPM_SE.TRIAL);
            byte[] policy = s.run("PolicyGetDigest", t -> t.PolicyGetDigest(trial));
            TPMT_PUBLIC template = new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent),
                    policy, new TPMS_KEYEDHASH_PARMS(new TPMS_NULL_SCHEME_KEYEDHASH()), new TPM2B_DIGEST_KEYEDHASH());
            CreateResponse sealed = s.run("Create", t -> t.Create(primary, new TPMS_SENSITIVE_CREATE(new byte[0], kek), template,
                    new byte[0], new TPMS_PCR_SELECTION[0]));
            byte[] params = encode(pcrs, sealed.outPublic.toTpm(), sealed.outPrivate.buffer);
            return new Enrolment(KeyEncryptionKey.adopt(kek.clone()), params, Optional.empty());
        } catch (Failure e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " refused to seal a key (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    @Override
    public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) {
        Sealed sealed = decode(slot.salt());
        try (Session s = connect()) {
            TPM_HANDLE primary = s.primary();
            TPM_HANDLE object;
            try {
                object = s.run("Load", t -> t.Load(primary, new TPM2B_PRIVATE(sealed.privatePart), TPMT_PUBLIC.fromTpm(sealed.publicPart)));
            } catch (Failure | RuntimeException e) {
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the TPM at " + device + " cannot load tpm2 slot "
                        + slot.slotId() + ": it was sealed by another TPM, or its stored blob was changed (" + e.getMessage() + ")");
            }
            s.handles.add(object);
            TPM_HANDLE session = s.pcrSession(sealed.pcrs, TPM_SE.POLICY);
            byte[] unsealed;
            try {
                unsealed = s.run("Unseal", t -> t._withSession(session).Unseal(object));
            } catch (Failure e) {
                String why = !e.policyFailed() ? "" : ": PCR " + Arrays.stream(sealed.pcrs).mapToObj(Integer::toString)
                        .collect(Collectors.joining(",")) + " (SHA-256) no longer match the values at enrolment (a firmware, boot or"
                        + " Secure Boot change); open the profile through another slot (its recovery passphrase) and enrol the TPM slot again";
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the TPM refused to unseal tpm2 slot " + slot.slotId()
                        + why + " (" + e.getMessage() + ")");
            }
            if (unsealed == null || unsealed.length != KeyEncryptionKey.BYTES) {
                if (unsealed != null) Arrays.fill(unsealed, (byte) 0);
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "tpm2 slot " + slot.slotId()
                        + " unsealed to something that is no key (its stored object was replaced)");
            }
            return KeyEncryptionKey.adopt(unsealed);
        } catch (Failure e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " failed (" + e.getMessage() + ")");
        }
    }

    /** A TPM command that did not succeed: its name and response code (TSS.Java would print it on stdout; we never let it). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean policyFailed;

        Failure(String command, String code) {
            super(command + ": " + code, null, false, false);
            this.policyFailed = code.equals("TPM_RC_" + TPM_RC.POLICY_FAIL.name());
        }

        /** Whether the TPM said the policy (the PCR values) is not met. */
        boolean policyFailed() { return policyFailed; }
    }

    /** Where new backends look for the TPM: {@code $MEMORY_VAULT_TPM}, else {@value #DEFAULT_DEVICE}. */
    public static String configuredDevice() {
        return Optional.ofNullable(System.getenv(ENV_DEVICE)).filter(s -> !s.isBlank()).orElse(DEFAULT_DEVICE);
    }

    /** Whether a TPM answers at {@code device}: empty if it does, else why not (for `vault hardware status`). */
    public static Optional<String> probe(String device) {
        try (Session s = connect(device)) {
            byte[] random = s.run("GetRandom", t -> t.GetRandom(8));
            return random != null && random.length == 8 ? Optional.empty()
                    : Optional.of("what answers at " + device + " does not act like a TPM (GetRandom)");
        } catch (AccessRefusedException | InvalidInputException e) {
            return Optional.of(e.getMessage());
        } catch (Failure e) {
            return Optional.of("the TPM at " + device + " failed (" + e.getMessage() + ")");
        }
    }

    /** An open TPM, with the handles to flush when done. */
    private static final class Session implements AutoCloseable {
        final Tpm tpm;
        final RawTpmDevice device;
        final java.util.List<TPM_HANDLE> handles = new java.util.ArrayList<>();

        Session(Tpm tpm, RawTpmDevice device) {
            this.tpm = tpm;
            this.device = device;
        }

        /** Runs one command with TSS.Java's error printing off, and turns any failure into a {@link Failure}. */
        <T> T run(String command, java.util.function.Function<Tpm, T> call) throws Failure {
            T out;
            device.deadline(System.nanoTime() + COMMAND_SECONDS * 1_000_000_000L);
            try {
                out = call.apply(tpm._allowErrors());
            } catch (RuntimeException e) {
                // TSS.Java parses what the TPM sent with no bounds of its own: a hostile TPM's garbage is any runtime exception
                throw new Failure(command, "the TPM stopped answering or sent garbage");
            }
            TPM_RC rc = tpm._getLastResponseCode();
            if (rc != TPM_RC.SUCCESS) throw new Failure(command, "TPM_RC_" + (rc == null ? "?" : rc.name()));
            return out;
        }

        void runVoid(String command, java.util.function.Consumer<Tpm> call) throws Failure {
            run(command, t -> {
                call.accept(t);
                return Boolean.TRUE;
            });
        }

        /** The owner hierarchy's storage primary key (ECC P-256, the same key every time for this TPM's storage seed). */
        TPM_HANDLE primary() throws Failure {
            TPMT_PUBLIC template = new TPMT_PUBLIC(TPM_ALG_ID.SHA256,
                    new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin,
                            TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA, TPMA_OBJECT.restricted, TPMA_OBJECT.decrypt),
                    new byte[0],
                    new TPMS_ECC_PARMS(new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.AES, 128, TPM_ALG_ID.CFB), new TPMS_NULL_ASYM_SCHEME(),
                            TPM_ECC_CURVE.NIST_P256, new TPMS_NULL_KDF_SCHEME()),
                    new TPMS_ECC_POINT());
            CreatePrimaryResponse r = run("CreatePrimary", t -> t.CreatePrimary(TPM_HANDLE.from(TPM_RH.OWNER),
                    new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]), template, new byte[0], new TPMS_PCR_SELECTION[0]));
            handles.add(r.handle);
            return r.handle;
        }

        /** A session (trial: to compute the digest; policy: to authorize) that has asserted "these PCRs as they are now". */
        TPM_HANDLE pcrSession(int[] pcrs, TPM_SE type) throws Failure {
            byte[] nonce = run("GetRandom", t -> t.GetRandom(16));
            TPM_HANDLE session = run("StartAuthSession", t -> t.StartAuthSession(TPM_HANDLE.NULL, TPM_HANDLE.NULL, nonce, new byte[0], type,
                    TPMT_SYM_DEF.nullObject(), TPM_ALG_ID.SHA256)).handle;
            handles.add(session);
            runVoid("PolicyPCR", t -> t.PolicyPCR(session, new byte[0],
                    new TPMS_PCR_SELECTION[] {new TPMS_PCR_SELECTION(TPM_ALG_ID.SHA256, pcrs)}));
            return session;
        }

        @Override
        public void close() {
            for (int i = handles.size() - 1; i >= 0; i--) {
                TPM_HANDLE h = handles.get(i);
                try {
                    runVoid("FlushContext", t -> t.FlushContext(h));
                } catch (Failure ignored) {
                    // already gone (a session a failed command consumed)
                }
            }
            try {
                tpm.close();
            } catch (java.io.IOException ignored) {
                // closing the connection
            }
        }
    }

    private Session connect() { return connect(device); }

    private static Session connect(String device) {
        RawTpmDevice dev;
        if (device.startsWith("tpm:tcp:")) {
            String hostPort = device.substring("tpm:tcp:".length());
            int colon = hostPort.lastIndexOf(':');
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a TCP TPM is tpm:tcp:HOST:PORT, not " + device);
            }
            if (port < 1 || port > 65535) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a TCP TPM's port is 1-65535, not " + device);
            dev = new SwtpmTcpDevice(colon > 0 ? hostPort.substring(0, colon) : "127.0.0.1", port);
        } else {
            java.nio.file.Path path = java.nio.file.Path.of(device);
            if (!java.nio.file.Files.exists(path) || java.nio.file.Files.isDirectory(path) || java.nio.file.Files.isRegularFile(path)) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "no TPM at " + device + " (set $" + ENV_DEVICE
                        + " to a TPM device or tpm:tcp:HOST:PORT)");
            }
            dev = new TpmCharDevice(path);
        }
        if (!dev.connect()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "no TPM answers at " + device + " (set $" + ENV_DEVICE
                    + " to a TPM device or tpm:tcp:HOST:PORT)");
        }
        Tpm tpm = new Tpm();
        tpm._setDevice(dev);
        return new Session(tpm, dev);
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
