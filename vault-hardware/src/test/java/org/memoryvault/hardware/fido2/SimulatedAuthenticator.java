package org.memoryvault.hardware.fido2;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * TEST ONLY: a FIDO2 security key at the HID report level. It speaks CTAPHID framing (CTAP 2.1
 * §11.2) and CTAP2 CBOR (CTAP 2.1 §6, §8) with real P-256 credentials: authenticatorGetInfo,
 * authenticatorMakeCredential with packed self attestation, authenticatorGetAssertion for
 * credentials named in the allow list, authenticatorClientPIN with PIN/UV auth protocol one, and
 * the hmac-secret extension.
 *
 * <p>What is simulated, and how:
 * <ul>
 *   <li>Everything is synchronous: {@link #write} handles a packet at once and queues the reply
 *       packets; {@link #read} hands them out and returns null when none is queued.</li>
 *   <li>User presence: a makeCredential or getAssertion that needs a touch stays pending. Each
 *       {@link #read} with nothing queued then yields one KEEPALIVE (UPNEEDED), as many as
 *       {@link #keepalivesBeforeTouch} asks for, and then the reply: the result if {@link #touch}
 *       is true, CTAP2_ERR_OPERATION_DENIED if not. A CTAPHID_CANCEL on that channel written
 *       before the reply's first packet is read makes the reply CTAP2_ERR_KEEPALIVE_CANCEL. The
 *       credential is created, and the counter advanced, only when the reply is produced.</li>
 *   <li>One transaction at a time: while a message is being received or a request is pending, any
 *       other request is answered ERR_CHANNEL_BUSY. No timeouts, no LOCK, no CTAP1/U2F, no
 *       built-in user verification ("uv" option), no resident keys.</li>
 *   <li>PIN (§6.5, protocol one only, §6.5.6): no PIN until {@link #setPin}; authenticatorClientPIN
 *       answers getPINRetries, getKeyAgreement and getPinToken only (setPIN and changePIN are the
 *       test's {@link #setPin}). One key agreement key and one pinToken, both drawn at
 *       construction; a wrong PIN costs a retry (8 in all) and renews the key agreement key, the
 *       right one restores the 8 retries; at 0 the PIN is blocked for good. With a PIN set,
 *       makeCredential needs a pinUvAuthParam and getAssertion takes one if given (without it, no
 *       UV flag); a valid one sets the UV flag. No permissions, no pinUvAuthToken expiry.</li>
 *   <li>hmac-secret (§12.5): a credential made with it asked for holds two CredRandoms (without
 *       and with UV); getAssertion returns the encrypted HMACs of the salts under the one that
 *       matches this request's UV. A credential made without it ignores the request.</li>
 *   <li>One signature counter for the whole device; {@link #cloneDevice} copies it with the keys.</li>
 *   <li>{@link #close} is the interface's no-op.</li>
 * </ul>
 */
public final class SimulatedAuthenticator implements HidReports {
    // CTAPHID packets (§11.2.4)
    private static final int INIT_DATA = REPORT_SIZE - 7;                       // CID(4) CMD(1) BCNT(2) DATA(57)
    private static final int CONT_DATA = REPORT_SIZE - 5;                       // CID(4) SEQ(1) DATA(59)
    private static final int MAX_MESSAGE = INIT_DATA + 128 * CONT_DATA;         // 7609
    private static final int BROADCAST_CID = 0xFFFFFFFF;

    // CTAPHID commands (§11.2.9), without the bit 0x80 that marks an initialization packet
    private static final int PING = 0x01;
    private static final int INIT = 0x06;
    private static final int WINK = 0x08;
    private static final int CBOR = 0x10;
    private static final int CANCEL = 0x11;
    private static final int KEEPALIVE = 0x3B;
    private static final int ERROR = 0x3F;

    // CTAPHID_ERROR codes (§11.2.9.1.6)
    private static final int ERR_INVALID_CMD = 0x01;
    private static final int ERR_INVALID_LEN = 0x03;
    private static final int ERR_INVALID_SEQ = 0x04;
    private static final int ERR_CHANNEL_BUSY = 0x06;
    private static final int ERR_INVALID_CHANNEL = 0x0B;

    private static final int KEEPALIVE_UPNEEDED = 2;                            // §11.2.9.1.7
    private static final int CAPABILITIES = 0x01 | 0x04 | 0x08;                 // WINK | CBOR | NMSG (§11.2.9.1.3)

    // CTAP2 commands (§6)
    private static final int MAKE_CREDENTIAL = 0x01;
    private static final int GET_ASSERTION = 0x02;
    private static final int GET_INFO = 0x04;
    private static final int CLIENT_PIN = 0x06;

    // authenticatorClientPIN subcommands (§6.5.5)
    private static final long GET_PIN_RETRIES = 0x01;
    private static final long GET_KEY_AGREEMENT = 0x02;
    private static final long GET_PIN_TOKEN = 0x05;

    // CTAP2 status codes (§8)
    private static final int INVALID_COMMAND = 0x01;
    private static final int INVALID_PARAMETER = 0x02;
    private static final int INVALID_LENGTH = 0x03;
    private static final int CBOR_UNEXPECTED_TYPE = 0x11;
    private static final int INVALID_CBOR = 0x12;
    private static final int MISSING_PARAMETER = 0x14;
    private static final int CREDENTIAL_EXCLUDED = 0x19;
    private static final int UNSUPPORTED_ALGORITHM = 0x26;
    private static final int OPERATION_DENIED = 0x27;
    private static final int UNSUPPORTED_OPTION = 0x2B;
    private static final int INVALID_OPTION = 0x2C;
    private static final int KEEPALIVE_CANCEL = 0x2D;
    private static final int NO_CREDENTIALS = 0x2E;
    private static final int PIN_INVALID = 0x31;
    private static final int PIN_BLOCKED = 0x32;
    private static final int PIN_AUTH_INVALID = 0x33;
    private static final int PIN_NOT_SET = 0x35;
    private static final int PIN_REQUIRED = 0x36;                               // CTAP2_ERR_PUAT_REQUIRED in 2.1
    private static final int INVALID_SUBCOMMAND = 0x3E;

    private static final long ES256 = -7;                                       // COSE algorithm ECDSA P-256 SHA-256
    private static final long ECDH_ES_HKDF_256 = -25;                           // the alg of a key agreement COSE_Key (§6.5.6)
    private static final long MAX_MSG_SIZE = 1200;
    private static final int MAX_PIN_RETRIES = 8;
    private static final String HMAC_SECRET = "hmac-secret";
    private static final int FLAG_UP = 0x01;                                    // WebAuthn §6.1: user present
    private static final int FLAG_UV = 0x04;                                    // user verified (here: by the PIN)
    private static final int FLAG_AT = 0x40;                                    // attested credential data included
    private static final int FLAG_ED = 0x80;                                    // extension data included

    private final SecureRandom random = new SecureRandom();
    private final byte[] aaguid = new byte[16];
    private final Map<String, Credential> credentials = new LinkedHashMap<>();  // by hex credential id
    private final Set<Integer> channels = new HashSet<>();
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private final List<byte[]> written = new ArrayList<>();
    private @Nullable Assembly assembly;
    private @Nullable Pending pending;
    private long counter;
    private int keepalivesBeforeTouch;
    private boolean touches = true;
    private boolean oneHmacSecret;
    // PIN/UV auth protocol one (§6.5.6)
    private final byte[] pinToken = new byte[32];
    private KeyPair keyAgreementKey;
    private byte @Nullable [] pinHash;                                          // LEFT(SHA-256(PIN), 16); null: no PIN set
    private int pinRetries = MAX_PIN_RETRIES;

    public SimulatedAuthenticator() {
        random.nextBytes(aaguid);
        random.nextBytes(pinToken);
        keyAgreementKey = p256KeyPair();
    }

    /** How many KEEPALIVE (UPNEEDED) packets come before the answer to a request that needs a touch (default 0). */
    public synchronized SimulatedAuthenticator keepalivesBeforeTouch(int n) {
        if (n < 0) throw new IllegalArgumentException("a negative number of keepalives");
        keepalivesBeforeTouch = n;
        return this;
    }

    /**
     * A CTAP 2.0 key's hmac-secret: one CredRandom per credential, the same answer with or without
     * user verification (CTAP 2.1 split them in two). Default false.
     */
    public synchronized SimulatedAuthenticator oneHmacSecret(boolean one) {
        oneHmacSecret = one;
        return this;
    }

    /** Whether the user touches the key when asked (default true); if not, such requests are denied. */
    public synchronized SimulatedAuthenticator touch(boolean touch) {
        touches = touch;
        return this;
    }

    /**
     * A second key with the same AAGUID, credentials (the same private keys and hmac-secret
     * CredRandoms), counter, PIN and PIN retries, independent from now on. Its pinToken and key
     * agreement key are its own, as after a power cycle.
     */
    public synchronized SimulatedAuthenticator cloneDevice() {
        SimulatedAuthenticator twin = new SimulatedAuthenticator();
        System.arraycopy(aaguid, 0, twin.aaguid, 0, aaguid.length);
        twin.credentials.putAll(credentials);                                  // Credential is immutable: shared
        twin.counter = counter;
        byte[] hash = pinHash;
        twin.pinHash = hash == null ? null : hash.clone();
        twin.pinRetries = pinRetries;
        return twin;
    }

    /**
     * Sets or replaces the PIN, as setPIN would (§6.5.1: at least 4 code points, at most 63 bytes
     * of UTF-8): the retries are 8 again and a new pinToken is drawn.
     */
    public synchronized SimulatedAuthenticator setPin(String pin) {
        byte[] utf8 = pin.getBytes(StandardCharsets.UTF_8);
        if (pin.codePointCount(0, pin.length()) < 4 || utf8.length > 63) {
            throw new IllegalArgumentException("a PIN has at least 4 code points and at most 63 bytes");
        }
        pinHash = Arrays.copyOf(sha256(utf8), 16);
        pinRetries = MAX_PIN_RETRIES;
        random.nextBytes(pinToken);
        return this;
    }

    /** The PIN retries left (8 at first; 0: blocked). */
    public synchronized int pinRetries() { return pinRetries; }

    public synchronized void setCounter(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) throw new IllegalArgumentException("the signature counter is 32 bits unsigned");
        counter = value;
    }

    public synchronized long counter() { return counter; }

    public synchronized int credentialCount() { return credentials.size(); }

    /** Copies of every output report the host wrote, in order. */
    public synchronized List<byte[]> written() {
        return written.stream().map(byte[]::clone).toList();
    }

    /** Queues a raw input report, of any length and content, behind those already queued. */
    public synchronized void injectReply(byte[] report) {
        outbox.add(report.clone());
    }

    @Override
    public synchronized void write(byte[] report) {
        if (report.length != REPORT_SIZE) throw new IllegalArgumentException("an output report is 64 bytes, not " + report.length);
        written.add(report.clone());
        int cid = ByteBuffer.wrap(report).getInt(0);
        int type = report[4] & 0xff;
        boolean initialization = (type & 0x80) != 0;
        // §11.2.9.1.3: the broadcast channel carries INIT only; any other channel must have been allocated by one
        boolean known = cid == BROADCAST_CID ? initialization && (type & 0x7f) == INIT : channels.contains(cid);
        if (!known) {
            error(cid, ERR_INVALID_CHANNEL);
        } else if (initialization) {
            initialization(cid, type & 0x7f, ((report[5] & 0xff) << 8) | (report[6] & 0xff), report);
        } else {
            continuation(cid, type, report);
        }
    }

    /**
     * The next queued input report. With none queued but a request waiting for a touch, this is
     * where the user acts: one keepalive per call, then the reply.
     */
    @Override
    public synchronized byte @Nullable [] read(int timeoutMillis) {
        Pending p = pending;
        if (outbox.isEmpty() && p != null) {
            if (p.keepalives > 0 && !p.cancelled) {
                p.keepalives--;
                send(p.cid, KEEPALIVE, new byte[] {KEEPALIVE_UPNEEDED});
            } else {
                pending = null;
                send(p.cid, CBOR, p.cancelled ? status(KEEPALIVE_CANCEL) : touches ? p.reply.get() : status(OPERATION_DENIED));
            }
        }
        return outbox.poll();
    }

    /** An initialization packet (§11.2.4): CMD | BCNTH | BCNTL | DATA. */
    private void initialization(int cid, int cmd, int length, byte[] report) {
        Assembly receiving = assembly;
        Pending waiting = pending;
        if (cmd == CANCEL) {
            // §11.2.9.1.5: never answered itself; the cancelled request answers CTAP2_ERR_KEEPALIVE_CANCEL
            if (waiting != null && waiting.cid == cid) waiting.cancelled = true;
            return;
        }
        if (cmd == INIT) {
            // §11.2.9.1.3: INIT on an allocated channel abandons whatever that channel had in flight
            if (receiving != null && receiving.cid == cid) assembly = null;
            if (waiting != null && waiting.cid == cid) pending = null;
            if (length != 8) error(cid, ERR_INVALID_LEN);
            else init(cid, Arrays.copyOfRange(report, 7, 15));
            return;
        }
        if (receiving != null && receiving.cid == cid) {
            // a new message before the continuation packets of the last one
            assembly = null;
            error(cid, ERR_INVALID_SEQ);
        } else if (receiving != null || waiting != null) {
            error(cid, ERR_CHANNEL_BUSY);                                      // §11.2.5.1: one transaction at a time
        } else if (length > MAX_MESSAGE) {
            error(cid, ERR_INVALID_LEN);
        } else {
            Assembly message = new Assembly(cid, cmd, length);
            if (message.take(report, 7, INIT_DATA)) dispatch(cid, cmd, message.bytes);
            else assembly = message;
        }
    }

    /** A continuation packet (§11.2.4): SEQ | DATA, SEQ counting up from 0. */
    private void continuation(int cid, int seq, byte[] report) {
        Assembly message = assembly;
        if (message == null || message.cid != cid) return;                     // nothing to continue: ignored
        if (seq != message.nextSeq) {
            assembly = null;
            error(cid, ERR_INVALID_SEQ);
            return;
        }
        message.nextSeq++;
        if (message.take(report, 5, CONT_DATA)) {
            assembly = null;
            dispatch(cid, message.cmd, message.bytes);
        }
    }

    private void dispatch(int cid, int cmd, byte[] message) {
        switch (cmd) {
            case PING -> send(cid, PING, message);                             // §11.2.9.1.4: echoed
            case WINK -> send(cid, WINK, new byte[0]);                         // §11.2.9.2.1
            case CBOR -> ctap(cid, message);                                   // §11.2.9.1.2
            default -> error(cid, ERR_INVALID_CMD);                            // MSG too: no CTAP1/U2F, hence NMSG
        }
    }

    /**
     * §11.2.9.1.3: on the broadcast channel, allocates a channel; on an allocated one, answers with
     * that same channel. Reply: nonce(8) | CID(4) | protocol 2 | version 5.0.1 | capabilities.
     */
    private void init(int cid, byte[] nonce) {
        int allocated = cid;
        if (cid == BROADCAST_CID) {
            do {
                allocated = random.nextInt();
            } while (allocated == 0 || allocated == BROADCAST_CID || channels.contains(allocated));
            channels.add(allocated);
        }
        byte[] reply = ByteBuffer.allocate(17).put(nonce).putInt(allocated)
                .put((byte) 2).put((byte) 5).put((byte) 0).put((byte) 1).put((byte) CAPABILITIES).array();
        send(cid, INIT, reply);
    }

    /** Frames a message as one initialization packet and as many continuation packets as it needs (§11.2.4). */
    private void send(int cid, int cmd, byte[] message) {
        int sent = Math.min(message.length, INIT_DATA);
        outbox.add(ByteBuffer.allocate(REPORT_SIZE).putInt(cid).put((byte) (0x80 | cmd))
                .putShort((short) message.length).put(message, 0, sent).array());
        for (int seq = 0; sent < message.length; seq++) {
            int n = Math.min(message.length - sent, CONT_DATA);
            outbox.add(ByteBuffer.allocate(REPORT_SIZE).putInt(cid).put((byte) seq).put(message, sent, n).array());
            sent += n;
        }
    }

    private void error(int cid, int code) {
        send(cid, ERROR, new byte[] {(byte) code});
    }

    /** A CTAP2 request (§8): a command byte, then a CBOR map with integer keys; the reply is a status byte, then a map. */
    private void ctap(int cid, byte[] request) {
        try {
            if (request.length == 0) throw new CtapError(INVALID_LENGTH);
            switch (request[0] & 0xff) {
                case GET_INFO -> send(cid, CBOR, ok(info()));
                case MAKE_CREDENTIAL -> makeCredential(cid, params(request));
                case GET_ASSERTION -> getAssertion(cid, params(request));
                case CLIENT_PIN -> send(cid, CBOR, ok(clientPin(params(request))));
                default -> throw new CtapError(INVALID_COMMAND);
            }
        } catch (CtapError e) {
            send(cid, CBOR, status(e.status));
        }
    }

    /** §6.4: versions, extensions, AAGUID, options (clientPin: whether a PIN is set), maxMsgSize, pinUvAuthProtocols. */
    private Map<Long, Object> info() {
        return Map.of(1L, List.of("FIDO_2_0", "FIDO_2_1"), 2L, List.of(HMAC_SECRET), 3L, aaguid.clone(),
                4L, Map.of("rk", false, "up", true, "plat", false, "clientPin", pinHash != null), 5L, MAX_MSG_SIZE,
                6L, List.of(1L));
    }

    /** §6.5.5, PIN/UV auth protocol one only: getPINRetries, getKeyAgreement and getPinToken. */
    private Map<Long, Object> clientPin(Map<?, ?> params) {
        Long protocol = optional(params, 1L, Long.class);
        long subCommand = required(params, 2L, Long.class);
        if (protocol != null && protocol != 1) throw new CtapError(INVALID_PARAMETER);
        if (subCommand == GET_PIN_RETRIES) return Map.of(3L, (long) pinRetries);
        if (subCommand != GET_KEY_AGREEMENT && subCommand != GET_PIN_TOKEN) throw new CtapError(INVALID_SUBCOMMAND);
        if (protocol == null) throw new CtapError(MISSING_PARAMETER);          // only getPINRetries goes without
        if (subCommand == GET_KEY_AGREEMENT) {
            return Map.of(1L, coseKey((ECPublicKey) keyAgreementKey.getPublic(), ECDH_ES_HKDF_256));
        }
        return Map.of(2L, getPinToken(required(params, 3L, Map.class), required(params, 6L, byte[].class)));
    }

    /**
     * §6.5.5 getPinToken: the pinToken encrypted for the platform, for the right pinHashEnc. A wrong
     * one costs a retry and renews the key agreement key; with no retry left the PIN is blocked.
     */
    private byte[] getPinToken(Map<?, ?> platformKey, byte[] pinHashEnc) {
        byte[] stored = pinHash;
        if (stored == null) throw new CtapError(PIN_NOT_SET);
        if (pinRetries == 0) throw new CtapError(PIN_BLOCKED);
        byte[] shared = sharedSecret(platformKey);
        byte[] presented = decrypt(shared, pinHashEnc);
        pinRetries--;
        if (!MessageDigest.isEqual(presented, stored)) {
            keyAgreementKey = p256KeyPair();
            throw new CtapError(pinRetries == 0 ? PIN_BLOCKED : PIN_INVALID);
        }
        pinRetries = MAX_PIN_RETRIES;
        return encrypt(shared, pinToken);
    }

    /**
     * §6.1.2 and §6.2.2, protocol one: FLAG_UV when pinUvAuthParam is
     * LEFT(HMAC-SHA-256(pinToken, clientDataHash), 16); 0 when it is absent, which with a PIN set
     * only getAssertion allows.
     */
    private int userVerification(Map<?, ?> params, long paramKey, long protocolKey, byte[] clientDataHash, boolean pinRequired) {
        byte[] pinUvAuthParam = optional(params, paramKey, byte[].class);
        Long protocol = optional(params, protocolKey, Long.class);
        if (pinUvAuthParam == null) {
            if (pinRequired && pinHash != null) throw new CtapError(PIN_REQUIRED);
            return 0;
        }
        if (protocol == null) throw new CtapError(MISSING_PARAMETER);
        if (protocol != 1) throw new CtapError(INVALID_PARAMETER);
        if (pinHash == null) throw new CtapError(PIN_NOT_SET);
        if (!MessageDigest.isEqual(authenticate(pinToken, clientDataHash), pinUvAuthParam)) throw new CtapError(PIN_AUTH_INVALID);
        return FLAG_UV;
    }

    /** §6.1.2, checking the parameters before asking for a touch. */
    private void makeCredential(int cid, Map<?, ?> params) {
        byte[] clientDataHash = required(params, 1L, byte[].class);
        String rpId = required(required(params, 2L, Map.class), "id", String.class);
        required(required(params, 3L, Map.class), "id", byte[].class);
        List<?> pubKeyCredParams = required(params, 4L, List.class);
        boolean es256 = false;
        for (Object entry : pubKeyCredParams) {
            Map<?, ?> parameters = as(entry, Map.class);
            long alg = required(parameters, "alg", Long.class);
            String type = required(parameters, "type", String.class);
            if (alg == ES256 && type.equals("public-key")) es256 = true;
        }
        if (!es256) throw new CtapError(UNSUPPORTED_ALGORITHM);
        List<?> excludeList = optional(params, 5L, List.class);
        Map<?, ?> extensions = optional(params, 6L, Map.class);
        boolean hmacSecret = extensions != null && Boolean.TRUE.equals(optional(extensions, HMAC_SECRET, Boolean.class));
        if (!userPresence(params, 7L)) throw new CtapError(INVALID_OPTION);   // "up": false is invalid here
        int uv = userVerification(params, 8L, 9L, clientDataHash, true);
        if (excludeList != null && held(excludeList, rpId) != null) {
            pending = new Pending(cid, keepalivesBeforeTouch, () -> status(CREDENTIAL_EXCLUDED));   // step 7: after a touch
        } else {
            pending = new Pending(cid, keepalivesBeforeTouch, () -> register(rpId, clientDataHash, uv, hmacSecret));
        }
    }

    /** §6.2.2, for credentials in the allow list only: this key keeps no resident credentials. */
    private void getAssertion(int cid, Map<?, ?> params) {
        String rpId = required(params, 1L, String.class);
        byte[] clientDataHash = required(params, 2L, byte[].class);
        List<?> allowList = optional(params, 3L, List.class);
        Map<?, ?> extensions = optional(params, 4L, Map.class);
        boolean up = userPresence(params, 5L);
        int uv = userVerification(params, 6L, 7L, clientDataHash, false);
        Credential credential = allowList == null ? null : held(allowList, rpId);
        if (credential == null) throw new CtapError(NO_CREDENTIALS);
        Map<?, ?> hmacInput = extensions == null ? null : optional(extensions, HMAC_SECRET, Map.class);
        Salts salts = hmacInput == null ? null : hmacSecretInput(hmacInput);
        if (up) {
            pending = new Pending(cid, keepalivesBeforeTouch, () -> assertion(credential, rpId, clientDataHash, FLAG_UP | uv, salts));
        } else {
            send(cid, CBOR, assertion(credential, rpId, clientDataHash, uv, salts));
        }
    }

    /**
     * §12.5, getAssertion input {1: keyAgreement, 2: saltEnc, 3: saltAuth, 4: pinUvAuthProtocol}:
     * the salts decrypted with the shared secret, once saltAuth shows the platform holds it.
     */
    private Salts hmacSecretInput(Map<?, ?> input) {
        Map<?, ?> platformKey = required(input, 1L, Map.class);
        byte[] saltEnc = required(input, 2L, byte[].class);
        byte[] saltAuth = required(input, 3L, byte[].class);
        Long protocol = optional(input, 4L, Long.class);
        if (protocol != null && protocol != 1) throw new CtapError(INVALID_PARAMETER);
        if (saltEnc.length != 32 && saltEnc.length != 64) throw new CtapError(INVALID_PARAMETER);
        byte[] shared = sharedSecret(platformKey);
        if (!MessageDigest.isEqual(authenticate(shared, saltEnc), saltAuth)) throw new CtapError(PIN_AUTH_INVALID);
        return new Salts(shared, decrypt(shared, saltEnc));
    }

    /**
     * Creates the credential (with its two CredRandoms if hmac-secret was asked for, §12.5) and
     * attests it with its own key: packed self attestation (WebAuthn §8.2), no x5c.
     */
    private byte[] register(String rpId, byte[] clientDataHash, int uv, boolean hmacSecret) {
        KeyPair pair = p256KeyPair();
        byte[] id = randomBytes(32);
        byte[] withoutUv = hmacSecret ? randomBytes(32) : null;
        credentials.put(HexFormat.of().formatHex(id), new Credential(id, rpId, pair.getPrivate(),
                withoutUv, hmacSecret ? (oneHmacSecret ? withoutUv : randomBytes(32)) : null));
        counter++;
        byte[] coseKey = Cbor.encode(coseKey((ECPublicKey) pair.getPublic(), ES256));
        // attested credential data (WebAuthn §6.5.1): AAGUID | credentialIdLength(2) | credentialId | credentialPublicKey
        byte[] attested = ByteBuffer.allocate(16 + 2 + id.length + coseKey.length)
                .put(aaguid).putShort((short) id.length).put(id).put(coseKey).array();
        byte[] authData = authenticatorData(rpId, FLAG_UP | uv | FLAG_AT, attested, hmacSecret ? Map.of(HMAC_SECRET, true) : null);
        Map<String, Object> attestation = Map.of("alg", ES256, "sig", sign(pair.getPrivate(), authData, clientDataHash));
        return ok(Map.of(1L, "packed", 2L, authData, 3L, attestation));
    }

    /** The assertion; with hmac-secret salts and a credential made for it, the extension output too (§12.5). */
    private byte[] assertion(Credential credential, String rpId, byte[] clientDataHash, int flags, @Nullable Salts salts) {
        counter++;
        byte[] credRandom = (flags & FLAG_UV) != 0 ? credential.credRandomWithUv : credential.credRandomWithoutUv;
        Map<String, Object> extensions = salts == null || credRandom == null ? null : Map.of(HMAC_SECRET, salts.output(credRandom));
        byte[] authData = authenticatorData(rpId, flags, new byte[0], extensions);
        return ok(Map.of(1L, Map.of("id", credential.id.clone(), "type", "public-key"),
                2L, authData, 3L, sign(credential.key, authData, clientDataHash)));
    }

    /**
     * WebAuthn §6.1: SHA-256(rpId) | flags | signCount(4), then any attested credential data, then
     * any extension outputs as a CBOR map (and the ED flag). The signature covers all of it.
     */
    private byte[] authenticatorData(String rpId, int flags, byte[] attested, @Nullable Map<String, ?> extensions) {
        byte[] outputs = extensions == null ? new byte[0] : Cbor.encode(extensions);
        return ByteBuffer.allocate(32 + 1 + 4 + attested.length + outputs.length)
                .put(sha256(rpId.getBytes(StandardCharsets.UTF_8))).put((byte) (extensions == null ? flags : flags | FLAG_ED))
                .putInt((int) counter).put(attested).put(outputs).array();
    }

    /**
     * §6.5.6 protocol one's shared secret: SHA-256 of the x-coordinate of ECDH between our key
     * agreement key and the platform's (a P-256 COSE_Key). The JDK's ECDH secret is that
     * x-coordinate, 32 bytes big-endian.
     */
    private byte[] sharedSecret(Map<?, ?> platformKey) {
        byte[] x = optional(platformKey, -2L, byte[].class);
        byte[] y = optional(platformKey, -3L, byte[].class);
        if (!Long.valueOf(2).equals(platformKey.get(1L)) || !Long.valueOf(1).equals(platformKey.get(-1L))
                || x == null || y == null || x.length != 32 || y.length != 32) {
            throw new CtapError(INVALID_PARAMETER);                            // not an EC2 P-256 key
        }
        try {
            ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(new BigInteger(1, x), new BigInteger(1, y)),
                    ((ECPublicKey) keyAgreementKey.getPublic()).getParams());
            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
            ecdh.init(keyAgreementKey.getPrivate());
            ecdh.doPhase(KeyFactory.getInstance("EC").generatePublic(spec), true);
            return sha256(ecdh.generateSecret());
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new CtapError(INVALID_PARAMETER);                            // a point off the curve
        }
    }

    private KeyPair p256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The first credential in a list of PublicKeyCredentialDescriptors that this key holds for the relying party. */
    private @Nullable Credential held(List<?> descriptors, String rpId) {
        for (Object entry : descriptors) {
            Map<?, ?> descriptor = as(entry, Map.class);
            byte[] id = required(descriptor, "id", byte[].class);
            if (!required(descriptor, "type", String.class).equals("public-key")) continue;
            Credential credential = credentials.get(HexFormat.of().formatHex(id));
            if (credential != null && credential.rpId.equals(rpId)) return credential;
        }
        return null;
    }

    /**
     * The "up" option (default true). "rk" and "uv" are refused as getInfo announced: no resident
     * keys (CTAP2_ERR_UNSUPPORTED_OPTION), no built-in user verification (CTAP2_ERR_INVALID_OPTION;
     * the PIN, through pinUvAuthParam, is the only user verification).
     */
    private static boolean userPresence(Map<?, ?> params, long key) {
        Map<?, ?> options = optional(params, key, Map.class);
        if (options == null) return true;
        if (Boolean.TRUE.equals(optional(options, "rk", Boolean.class))) throw new CtapError(UNSUPPORTED_OPTION);
        if (Boolean.TRUE.equals(optional(options, "uv", Boolean.class))) throw new CtapError(INVALID_OPTION);
        return !Boolean.FALSE.equals(optional(options, "up", Boolean.class));
    }

    private static Map<?, ?> params(byte[] request) {
        if (request.length == 1) return Map.of();
        Object decoded;
        try {
            decoded = Cbor.decode(Arrays.copyOfRange(request, 1, request.length));
        } catch (Cbor.MalformedException e) {
            throw new CtapError(INVALID_CBOR);
        }
        return as(decoded, Map.class);
    }

    private static <T> T required(Map<?, ?> map, Object key, Class<T> type) {
        T value = optional(map, key, type);
        if (value == null) throw new CtapError(MISSING_PARAMETER);
        return value;
    }

    private static <T> @Nullable T optional(Map<?, ?> map, Object key, Class<T> type) {
        Object value = map.get(key);
        return value == null ? null : as(value, type);
    }

    private static <T> T as(Object value, Class<T> type) {
        if (!type.isInstance(value)) throw new CtapError(CBOR_UNEXPECTED_TYPE);
        return type.cast(value);
    }

    /** ECDSA with SHA-256 over authData || clientDataHash; the JDK gives the ASN.1 DER form WebAuthn expects. */
    private static byte[] sign(PrivateKey key, byte[] authData, byte[] clientDataHash) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(authData);
            signature.update(clientDataHash);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A P-256 public key as a COSE_Key (RFC 9053 §7.1.1): kty EC2, alg, crv P-256, x, y. */
    private static Map<Long, Object> coseKey(ECPublicKey key, long alg) {
        return Map.of(1L, 2L, 3L, alg, -1L, 1L,
                -2L, coordinate(key.getW().getAffineX()), -3L, coordinate(key.getW().getAffineY()));
    }

    /** A P-256 coordinate as exactly 32 big-endian bytes (BigInteger may add a sign byte or drop leading zeros). */
    private static byte[] coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        int n = Math.min(raw.length, 32);
        byte[] out = new byte[32];
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** §6.5.6 protocol one's authenticate: the first 16 bytes of HMAC-SHA-256. */
    private static byte[] authenticate(byte[] key, byte[] message) {
        return Arrays.copyOf(hmac(key, message), 16);
    }

    /** §6.5.6 protocol one's encrypt: AES-256-CBC, IV all zero, no padding. */
    private static byte[] encrypt(byte[] key, byte[] plaintext) {
        return aes(Cipher.ENCRYPT_MODE, key, plaintext);
    }

    /** §6.5.6 protocol one's decrypt; a ciphertext that is not whole AES blocks is an invalid parameter. */
    private static byte[] decrypt(byte[] key, byte[] ciphertext) {
        return aes(Cipher.DECRYPT_MODE, key, ciphertext);
    }

    private static byte[] aes(int mode, byte[] key, byte[] data) {
        if (data.length % 16 != 0) throw new CtapError(INVALID_PARAMETER);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            return aes.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ok(Object response) {
        byte[] cbor = Cbor.encode(response);
        byte[] reply = new byte[1 + cbor.length];                               // reply[0] = 0x00, CTAP2_OK
        System.arraycopy(cbor, 0, reply, 1, cbor.length);
        return reply;
    }

    private static byte[] status(int code) {
        return new byte[] {(byte) code};
    }

    /** A CTAP2 status other than success, thrown while a request is checked. */
    private static final class CtapError extends RuntimeException {
        private final int status;

        CtapError(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    /** A message being received on a channel. */
    private static final class Assembly {
        private final int cid;
        private final int cmd;
        private final byte[] bytes;
        private int received;
        private int nextSeq;

        Assembly(int cid, int cmd, int length) {
            this.cid = cid;
            this.cmd = cmd;
            this.bytes = new byte[length];
        }

        /** Takes up to {@code max} bytes of the packet from {@code offset}; true once the message is whole. */
        boolean take(byte[] packet, int offset, int max) {
            int n = Math.min(max, bytes.length - received);
            System.arraycopy(packet, offset, bytes, received, n);
            received += n;
            return received == bytes.length;
        }
    }

    /** A request waiting for the user's touch; {@code reply} produces the answer once touched. */
    private static final class Pending {
        private final int cid;
        private final Supplier<byte[]> reply;
        private int keepalives;
        private boolean cancelled;

        Pending(int cid, int keepalives, Supplier<byte[]> reply) {
            this.cid = cid;
            this.keepalives = keepalives;
            this.reply = reply;
        }
    }

    /** A credential; its CredRandoms (§12.5) are null unless it was made with hmac-secret. Never changed once made. */
    private static final class Credential {
        private final byte[] id;
        private final String rpId;
        private final PrivateKey key;
        private final byte @Nullable [] credRandomWithoutUv;
        private final byte @Nullable [] credRandomWithUv;

        Credential(byte[] id, String rpId, PrivateKey key, byte @Nullable [] credRandomWithoutUv, byte @Nullable [] credRandomWithUv) {
            this.id = id;
            this.rpId = rpId;
            this.key = key;
            this.credRandomWithoutUv = credRandomWithoutUv;
            this.credRandomWithUv = credRandomWithUv;
        }
    }

    /** hmac-secret's input once checked (§12.5): the shared secret, and salt1 (| salt2) decrypted. */
    private static final class Salts {
        private final byte[] sharedSecret;
        private final byte[] salts;

        Salts(byte[] sharedSecret, byte[] salts) {
            this.sharedSecret = sharedSecret;
            this.salts = salts;
        }

        /** encrypt(shared secret, HMAC-SHA-256(CredRandom, salt1) [| HMAC-SHA-256(CredRandom, salt2)]). */
        byte[] output(byte[] credRandom) {
            byte[] outputs = new byte[salts.length];
            for (int i = 0; i < salts.length; i += 32) {
                System.arraycopy(hmac(credRandom, Arrays.copyOfRange(salts, i, i + 32)), 0, outputs, i, 32);
            }
            return encrypt(sharedSecret, outputs);
        }
    }
}
