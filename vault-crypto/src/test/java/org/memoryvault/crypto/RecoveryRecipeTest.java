package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.goterl.lazysodium.Sodium;
import com.sun.jna.NativeLong;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;

/**
 * docs/RECOVERY.md, executed (format 2, key tiers): a memory written through the public adapters is read back with raw
 * libsodium calls on the stored bytes only, with every associated-data byte built by hand from
 * docs/FORMAT.md (not with the production encoders). If this test fails, the docs are wrong.
 */
class RecoveryRecipeTest {
    private static final String PASSPHRASE = "correct horse battery staple \u00e9";
    private static final KdfParameters KDF = new KdfParameters(2, 16L << 20);
    private static final int CRYPTO_PWHASH_ALG_ARGON2ID13 = 2;

    @TempDir Path tmp;

    private final Sodium raw = Libsodium.sharedBinding().getSodium();

    /** What a database row and its profile's key slots hold, as plain values. */
    private static final class Stored {
        String memoryId; int classification; String profile; int keyVersion; long createdAtMs; String createdBy;
        byte[] nonce; byte[] ciphertext; byte[] wrappedKey; String commitment;
        KeySlot passphraseSlot; KeySlot keyFileSlot; byte[] keyFile;
    }

    private Stored writeOneMemory(byte[] content, Classification level) {
        Sealer sealer = CryptoFixtures.sealer();
        KeySource sources = CryptoFixtures.keySource();
        ProfileId profile = ProfileId.of("personal.notes");
        Instant created = Instant.parse("2025-02-03T04:05:06.789Z");
        MemoryId id = MemoryId.parse("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
        Stored s = new Stored();
        try (DataKey dek = sealer.newDataKey(profile, 3);
             SlotSecret pass = SlotSecret.passphrase(PASSPHRASE.toCharArray());
             SlotSecret file = KeyFiles.generate(tmp.resolve("vault-" + level.level() + ".key"))) {
            s.keyFile = file.revealForCrypto().clone();
            s.passphraseSlot = sources.wrap(SlotType.PASSPHRASE,
                    new KeySource.WrapRequest(0, "main passphrase", KDF, created), dek, pass);
            s.keyFileSlot = sources.wrap(SlotType.KEY_FILE,
                    new KeySource.WrapRequest(1, "vault.key", KDF, created), dek, file);
            AssociatedData ad = new AssociatedData(2, id, level, profile, 3, created, "agent:claude \u2713");
            Sealer.Sealed sealed = sealer.seal(dek, sealer.locks(dek, false), ad, Plaintext.adopt(content.clone()));
            s.memoryId = id.toString(); s.classification = level.level(); s.profile = profile.value(); s.keyVersion = 3;
            s.createdAtMs = created.toEpochMilli(); s.createdBy = "agent:claude \u2713";
            s.nonce = sealed.content().nonce(); s.ciphertext = sealed.content().ciphertext();
            s.wrappedKey = sealed.content().wrappedKey(); s.commitment = sealed.commitment().hex();
        }
        return s;
    }

    @Test
    void recipe_withThePassphrase_recoversEveryLevel_andTheCommitment() throws Exception {
        for (Classification level : Classification.values()) {
            byte[] content = ("the spare key is under stone " + level.level()).getBytes(StandardCharsets.UTF_8);
            Stored s = writeOneMemory(content, level);

            // Step 3: KEK = Argon2id(passphrase UTF-8, salt, opslimit, memlimit), 32 bytes.
            KeySlot slot = s.passphraseSlot;
            byte[] password = PASSPHRASE.getBytes(StandardCharsets.UTF_8);
            byte[] kek = new byte[32];
            assertThat(raw.crypto_pwhash(kek, 32, password, password.length, slot.salt(), slot.kdf().orElseThrow().opsLimit(),
                    new NativeLong(slot.kdf().orElseThrow().memLimitBytes()), CRYPTO_PWHASH_ALG_ARGON2ID13)).isZero();

            // Step 4: a passphrase slot holds the level-2 tier key and the owner key.
            byte[] keys = unwrap(s, slot, kek, 1, 64);
            byte[] tier2 = Arrays.copyOf(keys, 32);
            byte[] owner = Arrays.copyOfRange(keys, 32, 64);
            byte[] contentKey = level.level() <= 2 ? contentKeyFromTier(s, tier2) : contentKeyFromOwner(s, owner);
            assertThat(recoverContent(s, contentKey)).as("level " + level.level()).isEqualTo(content);
            assertThat(commitment(s, contentKey, content)).isEqualTo(s.commitment);
        }
    }

    @Test
    void recipe_withTheKeyFile_recoversLevels0To2_andNothingAbove() throws Exception {
        for (Classification level : Classification.values()) {
            byte[] content = new byte[0];
            Stored s = writeOneMemory(content, level);
            byte[] tier2 = unwrap(s, s.keyFileSlot, s.keyFile.clone(), 2, 32);
            byte[] contentKey = contentKeyFromTier(s, tier2);
            if (level.level() <= 2) {
                assertThat(contentKey).isNotNull();
                assertThat(recoverContent(s, contentKey)).isEmpty();
                assertThat(commitment(s, contentKey, content)).isEqualTo(s.commitment);
            } else {
                assertThat(contentKey).as("a key file holds no key of level " + level.level()).isNull();
            }
        }
    }

    @Test
    void commitKey_isTheKeyedBlake2bGivenInTheDocs() {
        byte[] dek = new Libsodium(Libsodium.sharedBinding()).randomBytes(32);
        byte[] viaKdf = new byte[32];
        byte[] context = "mvcommit".getBytes(StandardCharsets.US_ASCII);
        assertThat(raw.crypto_kdf_derive_from_key(viaKdf, 32, 1, context, dek)).isZero();
        byte[] salt = new byte[16];
        salt[0] = 1;                                        // u64 little-endian 1, then 8 zero bytes
        byte[] personal = new byte[16];
        System.arraycopy(context, 0, personal, 0, 8);      // "mvcommit", then 8 zero bytes
        byte[] viaBlake2b = new byte[32];
        assertThat(raw.crypto_generichash_blake2b_salt_personal(viaBlake2b, 32, new byte[0], 0, dek, 32, salt, personal)).isZero();
        assertThat(viaBlake2b).isEqualTo(viaKdf);
    }

    @Test
    void associatedDataExample_inFormatMd_isWhatTheDomainEncodes() throws IOException {
        AssociatedData ad = new AssociatedData(2, MemoryId.parse("123e4567-e89b-42d3-a456-426614174000"), Classification.SEALED,
                ProfileId.of("default"), 1, Instant.parse("2025-01-02T03:04:05.678Z"), "agent-1");
        String documented = "4d564144" + "02" + "123e4567e89b42d3a456426614174000" + "03" + "0007" + "64656661756c74"
                + "00000001" + "0000019424f8632e" + "0007" + "6167656e742d31";
        assertThat(HexFormat.of().formatHex(ad.encode())).isEqualTo(documented);
        assertThat(HexFormat.of().formatHex(memoryAd("123e4567-e89b-42d3-a456-426614174000", 3, "default", 1,
                1735787045678L, "agent-1"))).isEqualTo(documented);
        assertThat(HexFormat.of().formatHex(slotAd("default", 1, 0, 1)))
                .isEqualTo("4d564b53" + "01" + "0007" + "64656661756c74" + "00000001" + "00000000" + "01");
        assertThat(HexFormat.of().formatHex(org.memoryvault.crypto.internal.SlotAssociatedData.encode(ProfileId.of("default"), 1, 0,
                SlotType.PASSPHRASE))).isEqualTo(HexFormat.of().formatHex(slotAd("default", 1, 0, 1)));
        assertThat(HexFormat.of().formatHex(org.memoryvault.crypto.internal.SlotAssociatedData.encode(ProfileId.of("default"), 1, 2,
                SlotType.of("sim-token"))))
                .isEqualTo("4d564b53" + "02" + "0007" + "64656661756c74" + "00000001" + "00000002" + "0009" + "73696d2d746f6b656e");
    }

    /** Step 4: the slot's keys = AEAD-decrypt(wrapped_key, slot AD, slot nonce, KEK). */
    private byte[] unwrap(Stored s, KeySlot slot, byte[] kek, int typeCode, int length) throws IOException {
        byte[] ad = slotAd(s.profile, s.keyVersion, slot.slotId(), typeCode);
        byte[] wrapped = slot.wrappedKey();
        assertThat(wrapped).hasSize(length + 16);
        byte[] keys = new byte[length];
        assertThat(raw.crypto_aead_xchacha20poly1305_ietf_decrypt(keys, new long[1], null, wrapped, wrapped.length,
                ad, ad.length, slot.nonce(), kek)).isZero();
        return keys;
    }

    /** Step 6 for levels 0-2: derive the level's tier key, then AEAD-decrypt the wrapped content key; null if it fails. */
    private byte[] contentKeyFromTier(Stored s, byte[] tier2) throws IOException {
        if (s.wrappedKey.length != 72) return null;
        byte[] tier = tier2.clone();
        for (int n = 1; n >= s.classification; n--) tier = blake2b(tier, "memory-vault/tier/" + n);
        byte[] ad = memoryAd(s.memoryId, s.classification, s.profile, s.keyVersion, s.createdAtMs, s.createdBy);
        byte[] contentKey = new byte[32];
        int rc = raw.crypto_aead_xchacha20poly1305_ietf_decrypt(contentKey, new long[1], null,
                Arrays.copyOfRange(s.wrappedKey, 24, 72), 48, ad, ad.length, Arrays.copyOf(s.wrappedKey, 24), tier);
        return rc == 0 ? contentKey : null;
    }

    /** Step 6 for levels 3-5: the level's key pair from the owner key, then crypto_box_seal_open. */
    private byte[] contentKeyFromOwner(Stored s, byte[] owner) {
        byte[] seed = blake2b(owner, "memory-vault/tier/" + s.classification);
        byte[] pk = new byte[32];
        byte[] sk = new byte[32];
        assertThat(raw.crypto_box_seed_keypair(pk, sk, seed)).isZero();
        byte[] contentKey = new byte[32];
        assertThat(raw.crypto_box_seal_open(contentKey, s.wrappedKey, s.wrappedKey.length, pk, sk)).isZero();
        return contentKey;
    }

    /** BLAKE2b-256 keyed with {@code key} of the ASCII {@code label}. */
    private byte[] blake2b(byte[] key, String label) {
        byte[] msg = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[32];
        assertThat(raw.crypto_generichash(out, 32, msg, msg.length, key, key.length)).isZero();
        return out;
    }

    /** Step 7: content = AEAD-decrypt(ciphertext, memory AD, memory nonce, content key). */
    private byte[] recoverContent(Stored s, byte[] contentKey) throws IOException {
        byte[] ad = memoryAd(s.memoryId, s.classification, s.profile, s.keyVersion, s.createdAtMs, s.createdBy);
        byte[] out = new byte[s.ciphertext.length - 16];
        assertThat(raw.crypto_aead_xchacha20poly1305_ietf_decrypt(out, new long[1], null, s.ciphertext, s.ciphertext.length,
                ad, ad.length, s.nonce, contentKey)).isZero();
        return out;
    }

    /** Step 7, with the JDK's HMAC-SHA-256 for an independent check of crypto_auth_hmacsha256. */
    private String commitment(Stored s, byte[] contentKey, byte[] content)
            throws IOException, NoSuchAlgorithmException, InvalidKeyException {
        byte[] commitKey = new byte[32];
        assertThat(raw.crypto_kdf_derive_from_key(commitKey, 32, 1, "mvcommit".getBytes(StandardCharsets.US_ASCII), contentKey)).isZero();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(commitKey, "HmacSHA256"));
        UUID id = UUID.fromString(s.memoryId);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(message);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
        out.write(content);
        return HexFormat.of().formatHex(mac.doFinal(message.toByteArray()));
    }

    /** FORMAT.md §3, by hand. */
    private static byte[] slotAd(String profile, int keyVersion, int slotId, int typeCode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("MVKS");
        out.writeByte(1);
        writeString(out, profile);
        out.writeInt(keyVersion);
        out.writeInt(slotId);
        out.writeByte(typeCode);
        return bytes.toByteArray();
    }

    /** FORMAT.md §2, by hand. */
    private static byte[] memoryAd(String memoryId, int classification, String profile, int keyVersion,
                                   long createdAtMs, String createdBy) throws IOException {
        UUID id = UUID.fromString(memoryId);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("MVAD");
        out.writeByte(2);
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
        out.writeByte(classification);
        writeString(out, profile);
        out.writeInt(keyVersion);
        out.writeLong(createdAtMs);
        writeString(out, createdBy);
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }
}
