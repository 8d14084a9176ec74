package org.memoryvault.hardware.tpm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
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
import tss.tpm.NV_ReadPublicResponse;
import tss.tpm.TPMA_NV;
import tss.tpm.TPMS_NV_PUBLIC;
import tss.tpm.TPM_NT;
import tss.tpm.NV_CertifyResponse;
import tss.tpm.TPMS_ATTEST;
import tss.tpm.TPMS_NV_CERTIFY_INFO;
import tss.tpm.TPMS_SIGNATURE_ECDSA;
import tss.tpm.TPMS_SIG_SCHEME_ECDSA;
import tss.tpm.TPM_GENERATED;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.TPML_TAGGED_TPM_PROPERTY;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_PT;

/**
 * The TPM commands of {@link Tpm2SlotBackend}, through TSS.Java. Kept apart so that the backend, which
 * every command builds, does not load TSS.Java: its jar is signed, and verifying it costs every start
 * about 30 ms (docs/CONTRIBUTING.md, "Start-up"). Only a command that really talks to a TPM pays that.
 */
final class TpmCommands {
    private static final long COMMAND_SECONDS = 30;
    /** A counter, incremented and read with the index's (empty) auth value, never locked out by wrong auth. */
    private static final TPMA_NV COUNTER_ATTRIBUTES = new TPMA_NV(TPMA_NV.COUNTER, TPMA_NV.AUTHWRITE, TPMA_NV.AUTHREAD, TPMA_NV.NO_DA);

    private TpmCommands() {}

    /** Seals {@code kek} to the current values of {@code pcrs}: the sealed object's public and private parts. */
    static byte[][] seal(String device, int[] pcrs, byte[] kek) throws Tpm2SlotBackend.Failure {
        return seal(device, pcrs, kek, null);
    }

    /**
     * As above; with {@code authValue} (a PIN's hash) the policy also asks for it (PolicyPassword),
     * and the object is under the TPM's dictionary-attack protection: wrong PINs lock it out a while.
     */
    static byte[][] seal(String device, int[] pcrs, byte[] kek, byte @org.jspecify.annotations.Nullable [] authValue)
            throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            TPM_HANDLE primary = s.primary();
            TPM_HANDLE trial = s.pcrSession(pcrs, TPM_SE.TRIAL);
            if (authValue != null) s.runVoid("PolicyPassword", t -> t.PolicyPassword(trial));
            byte[] policy = s.run("PolicyGetDigest", t -> t.PolicyGetDigest(trial));
            TPMT_PUBLIC template = new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent),
                    policy, new TPMS_KEYEDHASH_PARMS(new TPMS_NULL_SCHEME_KEYEDHASH()), new TPM2B_DIGEST_KEYEDHASH());
            byte[] userAuth = authValue == null ? new byte[0] : authValue;
            CreateResponse sealed = s.run("Create", t -> t.Create(primary, new TPMS_SENSITIVE_CREATE(userAuth, kek), template,
                    new byte[0], new TPMS_PCR_SELECTION[0]));
            return new byte[][] {sealed.outPublic.toTpm(), sealed.outPrivate.buffer};
        }
    }

    /** Loads the sealed object and unseals it under a PCR policy session: the bytes it held (the caller checks them). */
    static byte @org.jspecify.annotations.Nullable [] unseal(String device, Tpm2SlotBackend.Sealed sealed, String slotId)
            throws Tpm2SlotBackend.Failure {
        return unseal(device, sealed, slotId, null);
    }

    /** As above, for an object sealed with {@code authValue}: the policy adds PolicyPassword, and Unseal carries the value. */
    static byte @org.jspecify.annotations.Nullable [] unseal(String device, Tpm2SlotBackend.Sealed sealed, String slotId,
                                                              byte @org.jspecify.annotations.Nullable [] authValue)
            throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            TPM_HANDLE primary = s.primary();
            TPM_HANDLE object;
            try {
                object = s.run("Load", t -> t.Load(primary, new TPM2B_PRIVATE(sealed.privatePart), TPMT_PUBLIC.fromTpm(sealed.publicPart)));
            } catch (Tpm2SlotBackend.Failure | RuntimeException e) {
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the TPM at " + device + " cannot load tpm2 slot "
                        + slotId + ": it was sealed by another TPM, or its stored blob was changed (" + e.getMessage() + ")");
            }
            s.handles.add(object);
            TPM_HANDLE session = s.pcrSession(sealed.pcrs, TPM_SE.POLICY);
            if (authValue != null) s.runVoid("PolicyPassword", t -> t.PolicyPassword(session));
            byte[] unsealed;
            try {
                unsealed = authValue == null ? s.run("Unseal", t -> t._withSession(session).Unseal(object))
                        : s.unsealWithPassword(object, session, authValue);
            } catch (Tpm2SlotBackend.Failure e) {
                if (e.authFailed()) {
                    throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the TPM refused the PIN of tpm2-pin slot " + slotId
                            + " (wrong PIN; each wrong PIN counts toward the TPM's dictionary-attack lockout)");
                }
                if (e.lockedOut()) {
                    throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the TPM is locked out after too many wrong PINs"
                            + " (dictionary-attack protection); tpm2-pin slot " + slotId + " opens again once it recovers");
                }
                String why = !e.policyFailed() ? "" : ": PCR " + Arrays.stream(sealed.pcrs).mapToObj(Integer::toString)
                        .collect(Collectors.joining(",")) + " (SHA-256) no longer match the values at enrolment (a firmware, boot or"
                        + " Secure Boot change); open the profile through another slot (its recovery passphrase) and enrol the TPM slot again";
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the TPM refused to unseal tpm2 slot " + slotId
                        + why + " (" + e.getMessage() + ")");
            }
            return unsealed;
        }
    }

    /** Empty if a TPM answers GetRandom at {@code device} as a TPM should, else what is wrong. */
    static Optional<String> probe(String device) throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            byte[] random = s.run("GetRandom", t -> t.GetRandom(8));
            return random != null && random.length == 8 ? Optional.empty()
                    : Optional.of("what answers at " + device + " does not act like a TPM (GetRandom)");
        }
    }

    /**
     * Defines an NV counter at {@code index} (owner hierarchy, read and increment with the index's
     * empty auth value, no dictionary-attack lockout) unless a counter is there already, and makes
     * sure it has been incremented once (an unwritten counter cannot be read): its value.
     */
    static long defineCounter(String device, int index) throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            TPM_HANDLE nv = TPM_HANDLE.NV(index & 0x00ffffff);
            boolean exists;
            try {
                NV_ReadPublicResponse pub = s.run("NV_ReadPublic", t -> t.NV_ReadPublic(nv));
                TPMA_NV a = pub.nvPublic.attributes;
                if (((a.toInt() >>> 4) & 0xf) != TPM_NT.COUNTER.toInt() || pub.nvPublic.dataSize != 8) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "NV index 0x" + Integer.toHexString(index)
                            + " is in use and is not a counter; choose another index");
                }
                exists = true;
            } catch (Tpm2SlotBackend.Failure e) {
                exists = false;
            }
            if (!exists) {
                s.runVoid("NV_DefineSpace", t -> t.NV_DefineSpace(TPM_HANDLE.from(TPM_RH.OWNER), new byte[0],
                        new TPMS_NV_PUBLIC(nv, TPM_ALG_ID.SHA256, COUNTER_ATTRIBUTES, new byte[0], 8)));
                s.runVoid("NV_Increment", t -> t.NV_Increment(nv, nv));
            }
            return readCounter(s, nv);
        }
    }

    /**
     * Whether the TPM's lockout hierarchy has a password (TPMA_PERMANENT.lockoutAuthSet, bit 2):
     * without one, any process can reset the dictionary-attack lockout and guess PINs at speed.
     */
    static boolean lockoutAuthSet(String device) throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            GetCapabilityResponse r = s.run("GetCapability", t -> t.GetCapability(TPM_CAP.TPM_PROPERTIES, TPM_PT.PERMANENT.toInt(), 1));
            if (!(r.capabilityData instanceof TPML_TAGGED_TPM_PROPERTY list) || list.tpmProperty.length == 0
                    || list.tpmProperty[0].property == null || list.tpmProperty[0].property.toInt() != TPM_PT.PERMANENT.toInt()) {
                throw new Tpm2SlotBackend.Failure("GetCapability", "no TPM_PT_PERMANENT", false);
            }
            return (list.tpmProperty[0].value & 0x4) != 0;
        }
    }

    /**
     * The attestation key of this TPM's owner hierarchy: an ECC P-256 restricted signing key,
     * recreated from a fixed template (so the same key every time on this TPM, and another on any
     * other): its public point, x then y (32 bytes each).
     */
    static byte[] attestationKey(String device) throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            return point(s.attestationKey().outPublic);
        }
    }

    /**
     * The NV counter's value as the TPM certifies it (TPM2_NV_Certify): signed by the attestation
     * key, over a fresh {@code nonce}, naming the index as a counter with our attributes. Returns the
     * attestation bytes, the signature's r and s, and the key's point, for the caller to check
     * ({@link TpmRollbackCounter}); nothing the TPM says is trusted here.
     */
    static byte[][] certifyCounter(String device, int index, byte[] nonce) throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            CreatePrimaryResponse ak = s.attestationKey();
            TPM_HANDLE nv = TPM_HANDLE.NV(index & 0x00ffffff);
            NV_CertifyResponse r = s.run("NV_Certify", t -> t.NV_Certify(ak.handle, nv, nv, nonce,
                    new TPMS_SIG_SCHEME_ECDSA(TPM_ALG_ID.SHA256), 8, 0));
            if (!(r.signature instanceof TPMS_SIGNATURE_ECDSA sig)) throw new Tpm2SlotBackend.Failure("NV_Certify", "not an ECDSA signature", false);
            return new byte[][] {r.certifyInfo.toTpm(), sig.signatureR, sig.signatureS, point(ak.outPublic)};
        }
    }

    /** The TPM name of our counter at {@code index} once written: nameAlg SHA-256, then the hash of its public area. */
    static byte[] counterName(int index) {
        TPMS_NV_PUBLIC pub = new TPMS_NV_PUBLIC(TPM_HANDLE.NV(index & 0x00ffffff), TPM_ALG_ID.SHA256,
                new TPMA_NV(COUNTER_ATTRIBUTES.toInt() | TPMA_NV.WRITTEN.toInt()), new byte[0], 8);
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(pub.toTpm());
            byte[] name = new byte[2 + digest.length];
            name[0] = 0x00;
            name[1] = 0x0b;
            System.arraycopy(digest, 0, name, 2, digest.length);
            return name;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The attested NV contents after the checks of {@link TpmRollbackCounter}: TPMS_ATTEST parsed by TSS.Java. */
    static byte[][] parseNvAttest(byte[] attest) {
        TPMS_ATTEST a = TPMS_ATTEST.fromTpm(attest);
        if (a.magic == null || a.magic.toInt() != TPM_GENERATED.VALUE.toInt() || !(a.attested instanceof TPMS_NV_CERTIFY_INFO info)) {
            throw new IllegalArgumentException("not a TPM-generated NV certification");
        }
        return new byte[][] {a.extraData, info.indexName, new byte[] {(byte) info.offset}, info.nvContents};
    }

    private static byte[] point(TPMT_PUBLIC pub) throws Tpm2SlotBackend.Failure {
        if (!(pub.unique instanceof TPMS_ECC_POINT p) || p.x.length > 32 || p.y.length > 32) {
            throw new Tpm2SlotBackend.Failure("CreatePrimary", "no P-256 point", false);
        }
        byte[] out = new byte[64];
        System.arraycopy(p.x, 0, out, 32 - p.x.length, p.x.length);
        System.arraycopy(p.y, 0, out, 64 - p.y.length, p.y.length);
        return out;
    }

    /** Adds one to the NV counter: its new value. */
    static long incrementCounter(String device, int index) throws Tpm2SlotBackend.Failure {
        try (Session s = connect(device)) {
            TPM_HANDLE nv = TPM_HANDLE.NV(index & 0x00ffffff);
            s.runVoid("NV_Increment", t -> t.NV_Increment(nv, nv));
            return readCounter(s, nv);
        }
    }

    private static long readCounter(Session s, TPM_HANDLE nv) throws Tpm2SlotBackend.Failure {
        byte[] value = s.run("NV_Read", t -> t.NV_Read(nv, nv, 8, 0));
        if (value == null || value.length != 8) throw new Tpm2SlotBackend.Failure("NV_Read", "not 8 bytes", false);
        return java.nio.ByteBuffer.wrap(value).getLong();
    }

    /** An open TPM, with the handles to flush when done. */
    private static final class Session implements AutoCloseable {
        final Tpm tpm;
        final RawTpmDevice device;
        final List<TPM_HANDLE> handles = new ArrayList<>();

        Session(Tpm tpm, RawTpmDevice device) {
            this.tpm = tpm;
            this.device = device;
        }

        /** Runs one command with TSS.Java's error printing off, and turns any failure into a {@link Failure}. */
        <T> T run(String command, Function<Tpm, T> call) throws Tpm2SlotBackend.Failure {
            T out;
            device.deadline(System.nanoTime() + COMMAND_SECONDS * 1_000_000_000L);
            try {
                out = call.apply(tpm._allowErrors());
            } catch (RuntimeException e) {
                // TSS.Java parses what the TPM sent with no bounds of its own: a hostile TPM's garbage is any runtime exception
                throw new Tpm2SlotBackend.Failure(command, "the TPM stopped answering or sent garbage", false);
            }
            TPM_RC rc = tpm._getLastResponseCode();
            if (rc != TPM_RC.SUCCESS) throw new Tpm2SlotBackend.Failure(command, "TPM_RC_" + (rc == null ? "?" : rc.name()), rc == TPM_RC.POLICY_FAIL);
            return out;
        }

        void runVoid(String command, Consumer<Tpm> call) throws Tpm2SlotBackend.Failure {
            run(command, t -> {
                call.accept(t);
                return Boolean.TRUE;
            });
        }

        /** The owner hierarchy's storage primary key (ECC P-256, the same key every time for this TPM's storage seed). */
        TPM_HANDLE primary() throws Tpm2SlotBackend.Failure {
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

        /**
         * TPM2_Unseal of {@code object} under a policy session that ran PolicyPassword, sent as raw bytes:
         * TSS.Java writes no password into a policy session's authorization, and PolicyPassword wants
         * the object's auth value there in the clear (TPM 2.0 Part 3, §23.18).
         */
        byte[] unsealWithPassword(TPM_HANDLE object, TPM_HANDLE session, byte[] authValue) throws Tpm2SlotBackend.Failure {
            java.nio.ByteBuffer c = java.nio.ByteBuffer.allocate(10 + 4 + 4 + 4 + 2 + 1 + 2 + authValue.length);
            c.putShort((short) 0x8002).putInt(c.capacity()).putInt(0x0000015e).putInt(object.handle)
                    .putInt(4 + 2 + 1 + 2 + authValue.length).putInt(session.handle).putShort((short) 0).put((byte) 0)
                    .putShort((short) authValue.length).put(authValue);
            byte[] command = c.array();
            byte[] response;
            device.deadline(System.nanoTime() + COMMAND_SECONDS * 1_000_000_000L);
            try {
                // TPM_RC_RETRY, _YIELDED, _TESTING: the TPM asks for the same command again (within the deadline)
                do {
                    device.millisLeft();
                    response = device.exchange(command);
                } while (response.length >= 10 && java.util.Set.of(0x922, 0x908, 0x90a).contains(java.nio.ByteBuffer.wrap(response, 6, 4).getInt()));
            } catch (RuntimeException e) {
                throw new Tpm2SlotBackend.Failure("Unseal", "the TPM stopped answering or sent garbage", false);
            } finally {
                java.util.Arrays.fill(command, (byte) 0);
            }
            try {
                java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(response);
                r.getShort();
                if (r.getInt() != response.length) throw new IllegalArgumentException("size");
                int rc = r.getInt();
                if (rc != 0) {
                    // format-one codes carry the session number in bits 8-11: compare the error itself
                    int base = (rc & 0x80) != 0 ? 0x80 | (rc & 0x3f) : rc;
                    throw new Tpm2SlotBackend.Failure("Unseal", String.format("TPM_RC 0x%x", rc), base == 0x9d, base == 0x8e || base == 0xa2,
                            rc == 0x921);
                }
                r.getInt();                                     // parameterSize
                byte[] out = new byte[r.getShort() & 0xffff];
                r.get(out);
                return out;
            } catch (RuntimeException e) {
                throw new Tpm2SlotBackend.Failure("Unseal", "the TPM sent a malformed answer", false);
            }
        }

        /** The owner hierarchy's attestation key (see {@link TpmCommands#attestationKey}), loaded until the session closes. */
        CreatePrimaryResponse attestationKey() throws Tpm2SlotBackend.Failure {
            TPMT_PUBLIC template = new TPMT_PUBLIC(TPM_ALG_ID.SHA256,
                    new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin,
                            TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA, TPMA_OBJECT.restricted, TPMA_OBJECT.sign),
                    new byte[0],
                    new TPMS_ECC_PARMS(new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL), new TPMS_SIG_SCHEME_ECDSA(TPM_ALG_ID.SHA256),
                            TPM_ECC_CURVE.NIST_P256, new TPMS_NULL_KDF_SCHEME()),
                    new TPMS_ECC_POINT());
            CreatePrimaryResponse r = run("CreatePrimary", t -> t.CreatePrimary(TPM_HANDLE.from(TPM_RH.OWNER),
                    new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]), template, "memory-vault/rollback-counter".getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII), new TPMS_PCR_SELECTION[0]));
            handles.add(r.handle);
            return r;
        }

        /** A session (trial: to compute the digest; policy: to authorize) that has asserted "these PCRs as they are now". */
        TPM_HANDLE pcrSession(int[] pcrs, TPM_SE type) throws Tpm2SlotBackend.Failure {
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
                } catch (Tpm2SlotBackend.Failure ignored) {
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
            Path path = Path.of(device);
            if (!Files.exists(path) || Files.isDirectory(path) || Files.isRegularFile(path)) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "no TPM at " + device + " (set $" + Tpm2SlotBackend.ENV_DEVICE
                        + " to a TPM device or tpm:tcp:HOST:PORT)");
            }
            dev = new TpmCharDevice(path);
        }
        if (!dev.connect()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "no TPM answers at " + device + " (set $" + Tpm2SlotBackend.ENV_DEVICE
                    + " to a TPM device or tpm:tcp:HOST:PORT)");
        }
        Tpm tpm = new Tpm();
        tpm._setDevice(dev);
        return new Session(tpm, dev);
    }
}
