package org.memoryvault.hardware.fido2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;

/**
 * The CTAP2 commands the vault uses (CTAP 2.1 §6): authenticatorMakeCredential,
 * authenticatorGetAssertion and authenticatorGetInfo, as CBOR over a {@link CtapHid} channel. What
 * the authenticator returns is only parsed here; its signatures are checked by webauthn-server-core
 * ({@link WebAuthnCeremonies}).
 */
public final class Ctap2 {
    static final byte MAKE_CREDENTIAL = 0x01;
    static final byte GET_ASSERTION = 0x02;
    static final byte GET_INFO = 0x04;
    static final byte CLIENT_PIN = 0x06;
    static final String HMAC_SECRET = "hmac-secret";
    /** The longest credential id CTAP 2.1 allows (§6.1: at most 1023 bytes). */
    static final int MAX_CREDENTIAL_ID = 1023;
    static final long ES256 = -7;

    private final CtapHid hid;
    private final BooleanSupplier cancelled;

    public Ctap2(CtapHid hid, BooleanSupplier cancelled) {
        this.hid = Objects.requireNonNull(hid, "hid");
        this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
    }

    /** What authenticatorGetInfo says: the versions, extensions and options the device offers. */
    public static final class Info {
        public final List<String> versions;
        public final List<String> extensions;
        public final Map<String, Boolean> options;

        Info(List<String> versions, List<String> extensions, Map<String, Boolean> options) {
            this.versions = List.copyOf(versions);
            this.extensions = List.copyOf(extensions);
            this.options = Map.copyOf(options);
        }
    }

    /** A new credential: the WebAuthn attestation object (text keys, as a browser hands it over). */
    public static final class Attestation {
        final String format;
        final byte[] attestationObject;
        final byte[] authData;

        Attestation(String format, byte[] attestationObject, byte[] authData) {
            this.format = format;
            this.attestationObject = attestationObject;
            this.authData = authData;
        }
    }

    /** One assertion: which credential, its authenticator data and signature. */
    public static final class Assertion {
        final byte[] credentialId;
        final byte[] authData;
        final byte[] signature;

        Assertion(byte[] credentialId, byte[] authData, byte[] signature) {
            this.credentialId = credentialId;
            this.authData = authData;
            this.signature = signature;
        }
    }

    public Info getInfo() {
        Map<?, ?> r = call(GET_INFO, null);
        List<String> versions = texts(r.get(1L), "versions");
        List<String> extensions = r.get(2L) == null ? List.of() : texts(r.get(2L), "extensions");
        Map<String, Boolean> options = new LinkedHashMap<>();
        if (r.get(4L) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k instanceof String s && v instanceof Boolean b) options.put(s, b);
            });
        }
        return new Info(versions, extensions, options);
    }

    /** Creates a non-resident ES256 credential for {@code rpId} (the authenticator waits for a touch). */
    public Attestation makeCredential(byte[] clientDataHash, String rpId, String rpName, byte[] userId, String userName) {
        return makeCredential(clientDataHash, rpId, rpName, userId, userName, false, null);
    }

    /**
     * As above; with {@code hmacSecret} the credential also gets the hmac-secret extension's
     * CredRandom (§12.5); with {@code pinToken} (from {@link #pinToken}) the request carries its
     * pinUvAuthParam, which a key with a PIN set requires.
     */
    public Attestation makeCredential(byte[] clientDataHash, String rpId, String rpName, byte[] userId, String userName, boolean hmacSecret,
                                      byte @org.jspecify.annotations.Nullable [] pinToken) {
        Map<Object, Object> p = new LinkedHashMap<>();
        p.put(1L, clientDataHash);
        p.put(2L, Map.of("id", rpId, "name", rpName));
        p.put(3L, Map.of("id", userId, "name", userName, "displayName", userName));
        p.put(4L, List.of(Map.of("alg", ES256, "type", "public-key")));
        if (hmacSecret) p.put(6L, Map.of(HMAC_SECRET, true));
        if (pinToken != null) {
            p.put(8L, PinProtocolOne.hmac16(pinToken, clientDataHash));
            p.put(9L, 1L);
        }
        Map<?, ?> r = call(MAKE_CREDENTIAL, p);
        if (!(r.get(1L) instanceof String fmt) || !(r.get(2L) instanceof byte[] authData) || !(r.get(3L) instanceof Map<?, ?> attStmt)) {
            throw refused("the authenticator's makeCredential answer lacks fmt, authData or attStmt");
        }
        Map<Object, Object> object = new LinkedHashMap<>();
        object.put("fmt", fmt);
        object.put("attStmt", attStmt);
        object.put("authData", authData);
        return new Attestation(fmt, Cbor.encode(object), authData);
    }

    /** Asks for an assertion by one of {@code allowList} (the authenticator waits for a touch). */
    public Assertion getAssertion(String rpId, byte[] clientDataHash, List<byte[]> allowList) {
        return getAssertion(rpId, clientDataHash, allowList, null, null);
    }

    /**
     * As above, with the hmac-secret extension when {@code hmacSecret} is given: {@code [salt]} (32
     * bytes) sent encrypted under {@code agreement}; the answer's extension output is left in its
     * authenticator data ({@link #hmacSecretOutput}). With {@code pinToken} the request carries its
     * pinUvAuthParam: the key verifies the user, and hmac-secret answers from its with-UV secret.
     */
    public Assertion getAssertion(String rpId, byte[] clientDataHash, List<byte[]> allowList,
                                  @org.jspecify.annotations.Nullable HmacSecret hmacSecret, byte @org.jspecify.annotations.Nullable [] pinToken) {
        return getAssertion(rpId, clientDataHash, allowList, hmacSecret, pinToken, true);
    }

    /** As above; with {@code userPresence} false the key answers without a touch (option up = false, CTAP 2.1 §6.2.2). */
    Assertion getAssertion(String rpId, byte[] clientDataHash, List<byte[]> allowList, @org.jspecify.annotations.Nullable HmacSecret hmacSecret,
                           byte @org.jspecify.annotations.Nullable [] pinToken, boolean userPresence) {
        Map<Object, Object> p = new LinkedHashMap<>();
        p.put(1L, rpId);
        p.put(2L, clientDataHash);
        List<Object> allow = new ArrayList<>();
        for (byte[] id : allowList) allow.add(Map.of("id", id, "type", "public-key"));
        p.put(3L, allow);
        if (hmacSecret != null) {
            byte[] saltEnc = hmacSecret.agreement.encrypt(hmacSecret.salt);
            Map<Object, Object> in = new LinkedHashMap<>();
            in.put(1L, hmacSecret.agreement.platformKey());
            in.put(2L, saltEnc);
            in.put(3L, hmacSecret.agreement.authenticate(saltEnc));
            in.put(4L, 1L);
            p.put(4L, Map.of(HMAC_SECRET, in));
        }
        p.put(5L, Map.of("up", userPresence));
        if (pinToken != null) {
            p.put(6L, PinProtocolOne.hmac16(pinToken, clientDataHash));
            p.put(7L, 1L);
        }
        Map<?, ?> r = call(GET_ASSERTION, p);
        if (!(r.get(2L) instanceof byte[] authData) || !(r.get(3L) instanceof byte[] signature)) {
            throw refused("the authenticator's getAssertion answer lacks authData or signature");
        }
        byte[] id = r.get(1L) instanceof Map<?, ?> c && c.get("id") instanceof byte[] b ? b
                : allowList.size() == 1 ? allowList.get(0) : null;       // CTAP 2.1 §6.2.2: may be left out for a one-entry list
        if (id == null) throw refused("the authenticator's assertion does not say which credential signed");
        return new Assertion(id, authData, signature);
    }

    /** The hmac-secret extension's input: one 32-byte salt and the key agreement that hides it. */
    static final class HmacSecret {
        final PinProtocolOne agreement;
        final byte[] salt;

        HmacSecret(PinProtocolOne agreement, byte[] salt) {
            if (salt.length != 32) throw new IllegalArgumentException("an hmac-secret salt is 32 bytes");
            this.agreement = agreement;
            this.salt = salt;
        }
    }

    /**
     * A pinUvAuthToken for {@code pin} (authenticatorClientPIN getPinToken, protocol one, §6.5.5.7):
     * the PIN's hash goes encrypted under a fresh key agreement. The caller wipes the token.
     */
    byte[] pinToken(char[] pin, java.security.SecureRandom random) {
        byte[] utf8 = PinProtocolOne.utf8(pin);
        byte[] hash = null;
        try (PinProtocolOne agreement = agree(random)) {
            hash = java.util.Arrays.copyOf(WebAuthnCeremonies.sha256(utf8), 16);
            Map<Object, Object> p = new LinkedHashMap<>();
            p.put(1L, 1L);
            p.put(2L, 5L);
            p.put(3L, agreement.platformKey());
            p.put(6L, agreement.encrypt(hash));
            if (!(call(CLIENT_PIN, p).get(2L) instanceof byte[] encrypted)) throw refused("the authenticator sent no PIN token");
            return agreement.decrypt(encrypted);
        } finally {
            java.util.Arrays.fill(utf8, (byte) 0);
            if (hash != null) java.util.Arrays.fill(hash, (byte) 0);
        }
    }

    /**
     * A pinUvAuthToken when the authenticator has a PIN set (the PIN asked from {@code secrets} for
     * {@code purpose}), else null: what a new credential needs. The caller wipes it.
     */
    byte @org.jspecify.annotations.Nullable [] pinTokenIfSet(org.memoryvault.domain.port.SecretProvider secrets, String purpose,
                                                             java.security.SecureRandom random) {
        if (!pinSet(getInfo())) return null;
        char[] pin = secrets.devicePin(purpose).orElseThrow(() -> refused("this security key has a PIN: type it when asked (on a"
                + " terminal), or name a 0600 file holding it in $MEMORY_VAULT_PIN_FILE"));
        try {
            return pinToken(pin, random);
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    /** Whether the authenticator has a PIN set (getInfo option clientPin), so new credentials need it. */
    static boolean pinSet(Info info) { return Boolean.TRUE.equals(info.options.get("clientPin")); }

    /** A key agreement with the authenticator (authenticatorClientPIN getKeyAgreement, protocol one). */
    PinProtocolOne agree(java.security.SecureRandom random) {
        Map<Object, Object> p = new LinkedHashMap<>();
        p.put(1L, 1L);
        p.put(2L, 2L);
        if (!(call(CLIENT_PIN, p).get(1L) instanceof Map<?, ?> key)) throw refused("the authenticator sent no key-agreement key");
        return PinProtocolOne.agree(key, random);
    }

    /**
     * The decrypted hmac-secret output in an assertion's authenticator data (WebAuthn §6.1: rpIdHash,
     * flags, counter, then the extensions map when flag ED is set), or empty if there is none.
     */
    static Optional<byte[]> hmacSecretOutput(byte[] authData, PinProtocolOne agreement) {
        if (authData.length < 37) throw refused("the authenticator's data is shorter than 37 bytes");
        int flags = authData[32] & 0xff;
        if ((flags & 0x80) == 0) return Optional.empty();
        if ((flags & 0x40) != 0) throw refused("the authenticator's assertion carries attested credential data");
        Object extensions;
        int[] end = new int[1];
        try {
            extensions = Cbor.decodePrefix(authData, 37, end);
        } catch (Cbor.MalformedException e) {
            throw refused("the authenticator's extension data is not CBOR (" + e.getMessage() + ")");
        }
        if (end[0] != authData.length) throw refused("the authenticator's data has bytes after its extensions");
        if (!(extensions instanceof Map<?, ?> m) || !(m.get(HMAC_SECRET) instanceof byte[] output)) return Optional.empty();
        return Optional.of(agreement.decrypt(output));
    }

    /** The credential id inside attested authenticator data (WebAuthn §6.5.1): after rpIdHash, flags, counter and AAGUID. */
    static byte[] credentialIdOf(byte[] authData) {
        if (authData.length < 55 || (authData[32] & 0x40) == 0) {
            throw refused("the authenticator's new credential carries no attested credential data");
        }
        int length = ((authData[53] & 0xff) << 8) | (authData[54] & 0xff);
        if (length == 0 || length > MAX_CREDENTIAL_ID || 55 + length > authData.length) {
            throw refused("the authenticator's credential id runs past its data");
        }
        return java.util.Arrays.copyOfRange(authData, 55, 55 + length);
    }

    private Map<?, ?> call(byte command, @org.jspecify.annotations.Nullable Map<Object, Object> params) {
        byte[] body = params == null ? new byte[0] : Cbor.encode(params);
        byte[] request = new byte[1 + body.length];
        request[0] = command;
        System.arraycopy(body, 0, request, 1, body.length);
        byte[] reply = hid.cbor(request, cancelled);
        if (reply.length == 0) throw refused("the authenticator sent an empty CTAP2 answer");
        int status = reply[0] & 0xff;
        if (status == 0x2e) {
            // not the enrolled key (or not its credential): for a key slot that is a wrong secret, so other slots are tried
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, statusText(status));
        }
        if (status != 0) throw refused(statusText(status));
        try {
            Object o = Cbor.decode(java.util.Arrays.copyOfRange(reply, 1, reply.length));
            if (o instanceof Map<?, ?> m) return m;
        } catch (Cbor.MalformedException e) {
            throw refused("the authenticator's answer is not CBOR (" + e.getMessage() + ")");
        }
        throw refused("the authenticator's answer is not a CBOR map");
    }

    private static List<String> texts(@org.jspecify.annotations.Nullable Object o, String what) {
        if (!(o instanceof List<?> list)) throw refused("the authenticator's getInfo has no " + what + " list");
        List<String> out = new ArrayList<>();
        for (Object x : list) {
            if (!(x instanceof String s)) throw refused("the authenticator's getInfo " + what + " holds a non-text entry");
            out.add(s);
        }
        return out;
    }

    /** CTAP 2.1 §8.2's status codes, in words for the user. */
    static String statusText(int status) {
        String name = switch (status) {
            case 0x01 -> "it does not know the command";
            case 0x11, 0x12, 0x14 -> "it found our request malformed";
            case 0x26 -> "it does not support ES256 (P-256) credentials";
            case 0x27 -> "the operation was denied (touch refused)";
            case 0x2d -> "the request was cancelled";
            case 0x2e -> "it holds none of the enrolled credentials (another key, or the credential was deleted)";
            case 0x2f -> "no touch came in time";
            case 0x31 -> "the PIN is wrong (each wrong PIN uses one of its 8 tries; then the key blocks)";
            case 0x32 -> "its PIN is blocked after too many wrong tries (only a reset of the key clears it, which deletes its credentials)";
            case 0x33 -> "our PIN or hmac-secret authentication did not check out";
            case 0x34 -> "it blocks PIN entry until it is unplugged and plugged in again";
            case 0x35 -> "it has no PIN set";
            case 0x36 -> "it requires its PIN";
            default -> "CTAP2 status 0x" + Integer.toHexString(status);
        };
        return "the authenticator refused: " + name;
    }

    private static AccessRefusedException refused(String why) {
        return new AccessRefusedException(ErrorCode.ACCESS_TOKEN, why);
    }
}
