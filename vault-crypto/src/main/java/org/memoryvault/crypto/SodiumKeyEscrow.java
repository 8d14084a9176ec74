package org.memoryvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.Escrow;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.KeyEscrow;

/**
 * Shamir escrow of an owner key (docs/FORMAT.md §15). The secret is what an owner passphrase slot
 * wraps: the level-2 tier key and the owner key (64 bytes), at the profile's key version. It is
 * split with {@link Shamir}; each share becomes a share document (text, below), age-encrypted to
 * its holder's X25519 recipient (a standard age file: {@code age -d -i key.txt} opens it). The
 * escrow keeps the SHA-256 of every document and a commitment to the secret, so a recovery names a
 * wrong share and never returns a key the shares do not commit to.
 * <pre>
 * memory-vault/escrow-share/1
 * escrow: &lt;uuid&gt;
 * profile: &lt;profile&gt;
 * key-version: &lt;n&gt;
 * threshold: &lt;k&gt;
 * shares: &lt;n&gt;
 * index: &lt;1..n&gt;
 * holder: &lt;name&gt;
 * secret-commitment: &lt;64 hex&gt;
 * share: &lt;128 hex&gt;
 * </pre>
 * secret-commitment = SHA-256("memory-vault/escrow-secret/1\n" || escrow id || "\n" || profile || "\n" || key version || "\n" || secret):
 * it binds the secret to the escrow, the profile and the key version, so none can be edited in the escrow's row.
 */
public final class SodiumKeyEscrow implements KeyEscrow {
    static final String MAGIC = "memory-vault/escrow-share/1";
    static final List<String> FIELDS = List.of("escrow", "profile", "key-version", "threshold", "shares", "index", "holder",
            "secret-commitment", "share");
    private static final int SECRET_BYTES = 2 * Libsodium.KEY_BYTES;
    private static final int MAX_DOCUMENT_BYTES = 4096;
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern DECIMAL = Pattern.compile("[1-9][0-9]{0,8}");
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random;

    @Inject
    public SodiumKeyEscrow(SecureRandom random) { this.random = Objects.requireNonNull(random, "random"); }

    @Override
    public Split split(DataKey ownerKey, int threshold, List<Recipient> recipients, Instant at) {
        byte[] u = new byte[16];
        random.nextBytes(u);
        u[6] = (byte) ((u[6] & 0x0f) | 0x40);        // a version-4 (random) UUID
        u[8] = (byte) ((u[8] & 0x3f) | 0x80);
        ByteBuffer b = ByteBuffer.wrap(u);
        String id = new java.util.UUID(b.getLong(), b.getLong()).toString();
        if (!ownerKey.isOwner() || SodiumDataKey.tierLevel(ownerKey) != 2) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "an escrow splits an owner key", null);
        }
        List<StandardRecipient> writers = new ArrayList<>();
        for (Recipient r : recipients) writers.add(new StandardRecipient(r.name(), AgeBackupStream.bech32Case(r.ageRecipient().strip())));
        byte[] secret = secretOf(ownerKey);
        byte[][] shares = Shamir.split(secret, threshold, recipients.size(), random);
        try {
            String commitment = commitment(id, ownerKey.profile(), ownerKey.keyVersion(), secret);
            List<Escrow.Holder> holders = new ArrayList<>();
            List<byte[]> files = new ArrayList<>();
            for (int i = 0; i < shares.length; i++) {
                byte[] doc = document(id, ownerKey.profile(), ownerKey.keyVersion(), threshold, shares.length, i + 1,
                        writers.get(i).name(), commitment, shares[i]);
                try {
                    holders.add(new Escrow.Holder(i + 1, writers.get(i).name(), writers.get(i).recipient(), HEX.formatHex(sha256(doc))));
                    files.add(AgeFiles.encrypt(doc, writers.get(i).recipient()));
                } finally {
                    Arrays.fill(doc, (byte) 0);
                }
            }
            return new Split(new Escrow(id, ownerKey.profile(), ownerKey.keyVersion(), threshold, commitment, at, holders), files);
        } finally {
            Libsodium.wipe(secret);
            for (byte[] s : shares) Arrays.fill(s, (byte) 0);
        }
    }

    private record StandardRecipient(String name, String recipient) {}

    @Override
    public DataKey recover(List<ShareDocument> documents, Function<String, Optional<Escrow>> escrows) {
        if (documents.isEmpty()) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "no shares given");
        documents = documents.stream().map(SodiumKeyEscrow::asWritten).toList();
        List<Map<String, String>> parsed = new ArrayList<>();
        for (ShareDocument d : documents) parsed.add(parse(d));
        // the escrow is the one of this vault that most shares name; a share naming another is foreign
        Map<String, Integer> votes = new LinkedHashMap<>();
        Map<String, Escrow> known = new LinkedHashMap<>();
        for (Map<String, String> p : parsed) {
            String named = field(p, "escrow");
            if (!known.containsKey(named)) escrows.apply(named).ifPresent(e -> known.put(named, e));
            if (known.containsKey(named)) votes.merge(named, 1, Integer::sum);
        }
        if (votes.isEmpty()) {
            throw new NotFoundException(ErrorCode.NOT_FOUND_ESCROW, "the shares name no escrow this vault has (`vault escrow list`): "
                    + String.join(", ", parsed.stream().map(p -> field(p, "escrow")).distinct().toList()));
        }
        String id = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Escrow escrow = Objects.requireNonNull(known.get(id));
        List<Integer> points = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        try {
            for (int i = 0; i < documents.size(); i++) {
                ShareDocument d = documents.get(i);
                Map<String, String> p = parsed.get(i);
                if (!field(p, "escrow").equals(id)) throw wrong(d, "is a share of escrow " + field(p, "escrow") + ", not of " + id + " (a foreign share)");
                int index = Integer.parseInt(field(p, "index"));
                if (index > escrow.shares()) throw wrong(d, "names share " + index + " of an escrow of " + escrow.shares());
                Escrow.Holder h = escrow.holders().get(index - 1);
                if (!field(p, "profile").equals(escrow.profile().value()) || !field(p, "key-version").equals(String.valueOf(escrow.keyVersion()))
                        || !field(p, "threshold").equals(String.valueOf(escrow.threshold()))
                        || !field(p, "shares").equals(String.valueOf(escrow.shares()))
                        || !field(p, "secret-commitment").equals(escrow.secretCommitment())) {
                    throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "share " + d.source() + " (share " + index + ") and escrow "
                            + id + "'s rows in vault.db disagree on its profile, key version, threshold, count or commitment", null);
                }
                byte[] text = d.text();
                try {
                    if (!MessageDigest.isEqual(sha256(text), HEX.parseHex(h.digest()))) {
                        throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "share " + d.source() + " (share " + index
                                + ") is not the share the escrow made: a byte of it was changed, or it was edited", null);
                    }
                } finally {
                    Arrays.fill(text, (byte) 0);
                }
                if (points.contains(index)) throw wrong(d, "is share " + index + " again: give each holder's share once");
                points.add(index);
                values.add(HEX.parseHex(field(p, "share")));
            }
            if (points.size() < escrow.threshold()) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "escrow " + id + " needs " + escrow.threshold() + " of its "
                        + escrow.shares() + " shares; " + points.size() + " given");
            }
            byte[] secret = Shamir.combine(points.stream().mapToInt(Integer::intValue).toArray(), values.toArray(new byte[0][]));
            try {
                if (secret.length != SECRET_BYTES || !MessageDigest.isEqual(HEX.parseHex(commitment(id, escrow.profile(), escrow.keyVersion(), secret)),
                        HEX.parseHex(escrow.secretCommitment()))) {
                    throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the shares of escrow " + id + " do not combine to the"
                            + " secret it committed to for profile " + escrow.profile() + " at key version " + escrow.keyVersion()
                            + " (the escrow's rows in vault.db were edited)", null);
                }
                return new SodiumDataKey(escrow.profile(), escrow.keyVersion(), 2, Arrays.copyOfRange(secret, 0, Libsodium.KEY_BYTES),
                        Arrays.copyOfRange(secret, Libsodium.KEY_BYTES, SECRET_BYTES), null);
            } finally {
                Libsodium.wipe(secret);
            }
        } finally {
            for (byte[] v : values) Arrays.fill(v, (byte) 0);
            for (Map<String, String> p : parsed) p.clear();
        }
    }

    /**
     * The document as the escrow wrote it, from text a holder handed back: CRLF line ends (a Windows
     * editor, a mail client) become LF, and a lost final newline is put back; the digest is then over
     * the very bytes written. Anything else changed still fails the digest.
     */
    static ShareDocument asWritten(ShareDocument d) {
        byte[] t = d.text();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(t.length + 1);
        for (int i = 0; i < t.length; i++) {
            if (t[i] == '\r' && i + 1 < t.length && t[i + 1] == '\n') continue;
            out.write(t[i]);
        }
        if (t.length > 0 && t[t.length - 1] != '\n' && !(t[t.length - 1] == '\r')) out.write('\n');
        Arrays.fill(t, (byte) 0);
        byte[] fixed = out.toByteArray();
        try {
            return new ShareDocument(d.source(), fixed);
        } finally {
            Arrays.fill(fixed, (byte) 0);
        }
    }

    /** The share document's fields, in order, checked for form; anything else is INPUT_INVALID naming the source. */
    static Map<String, String> parse(ShareDocument d) {
        byte[] bytes = d.text();
        try {
            if (bytes.length > MAX_DOCUMENT_BYTES) throw wrong(d, "is too large to be a share document");
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            String[] lines = text.split("\n", -1);
            if (lines.length != FIELDS.size() + 2 || !lines[0].equals(MAGIC) || !lines[lines.length - 1].isEmpty()) {
                throw wrong(d, "is not a share document (" + MAGIC + "; decrypt the holder's file with `age -d -i KEY FILE` first)");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < FIELDS.size(); i++) {
                String prefix = FIELDS.get(i) + ": ";
                if (!lines[i + 1].startsWith(prefix)) throw wrong(d, "has no '" + FIELDS.get(i) + "' line where it should be");
                out.put(FIELDS.get(i), lines[i + 1].substring(prefix.length()));
            }
            for (String n : List.of("key-version", "threshold", "shares", "index")) {
                if (!DECIMAL.matcher(field(out, n)).matches()) throw wrong(d, "has a malformed '" + n + "' line");
            }
            if (!field(out, "share").matches("[0-9a-f]{" + 2 * SECRET_BYTES + "}")) throw wrong(d, "has a malformed 'share' line");
            if (!UUID_TEXT.matcher(field(out, "escrow")).matches()) throw wrong(d, "has a malformed 'escrow' line");
            if (!field(out, "secret-commitment").matches("[0-9a-f]{64}")) throw wrong(d, "has a malformed 'secret-commitment' line");
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw wrong(d, "is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static byte[] document(String id, ProfileId profile, int keyVersion, int threshold, int shares, int index, String holder,
                           String commitment, byte[] share) {
        String text = MAGIC + "\nescrow: " + id + "\nprofile: " + profile.value() + "\nkey-version: " + keyVersion + "\nthreshold: "
                + threshold + "\nshares: " + shares + "\nindex: " + index + "\nholder: " + holder + "\nsecret-commitment: " + commitment
                + "\nshare: " + HEX.formatHex(share) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String commitment(String id, ProfileId profile, int keyVersion, byte[] secret) {
        MessageDigest sha = sha256();
        sha.update(("memory-vault/escrow-secret/1\n" + id + "\n" + profile.value() + "\n" + keyVersion + "\n").getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha.digest(secret));
    }

    private static byte[] secretOf(DataKey ownerKey) {
        byte[] tier = SodiumDataKey.copyOf(ownerKey);
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        byte[] secret = Arrays.copyOf(tier, SECRET_BYTES);
        System.arraycopy(owner, 0, secret, Libsodium.KEY_BYTES, Libsodium.KEY_BYTES);
        Libsodium.wipe(tier, owner);
        return secret;
    }

    /** A field {@link #parse} put there (every field of {@link #FIELDS} is). */
    private static String field(Map<String, String> fields, String name) {
        return Objects.requireNonNull(fields.get(name), name);
    }

    private static InvalidInputException wrong(ShareDocument d, String why) {
        return new InvalidInputException(ErrorCode.INPUT_INVALID, "share " + d.source() + " " + why);
    }

    private static byte[] sha256(byte[] data) { return sha256().digest(data); }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
