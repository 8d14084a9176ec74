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
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;

/**
 * docs/RECOVERY.md, executed: a memory written through the public adapters is read back with raw
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
        byte[] nonce; byte[] ciphertext; String commitment;
        KeySlot passphraseSlot; KeySlot keyFileSlot; byte[] keyFile;
    }

    private Stored writeOneMemory(byte[] content) {
        Sealer sealer = CryptoAdapters.sealer();
        Map<SlotType, KeySource> sources = CryptoAdapters.keySources();
        ProfileId profile = ProfileId.of("personal.notes");
        Instant created = Instant.parse("2025-02-03T04:05:06.789Z");
        MemoryId id = MemoryId.parse("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
        Stored s = new Stored();
        try (DataKey dek = sealer.newDataKey(profile, 3);
             SlotSecret pass = SlotSecret.passphrase(PASSPHRASE.toCharArray());
             SlotSecret file = KeyFiles.generate(tmp.resolve("vault.key"))) {
            s.keyFile = file.revealForCrypto().clone();
            s.passphraseSlot = sources.get(SlotType.PASSPHRASE)
                    .wrap(new KeySource.WrapRequest(0, "main passphrase", Optional.of(KDF), created), dek, pass);
            s.keyFileSlot = sources.get(SlotType.KEY_FILE)
                    .wrap(new KeySource.WrapRequest(1, "vault.key", Optional.empty(), created), dek, file);
            AssociatedData ad = new AssociatedData(1, id, Classification.VAULTED, profile, 3, created, "agent:claude \u2713");
            SealedContent sealed = sealer.seal(dek, ad, Plaintext.adopt(content.clone()));
            ContentCommitment commitment = sealer.commit(dek, id, Plaintext.adopt(content.clone()));
            s.memoryId = id.toString(); s.classification = 4; s.profile = profile.value(); s.keyVersion = 3;
            s.createdAtMs = created.toEpochMilli(); s.createdBy = "agent:claude \u2713";
            s.nonce = sealed.nonce(); s.ciphertext = sealed.ciphertext(); s.commitment = commitment.hex();
        }
        return s;
    }

    @Test
    void recipe_withThePassphrase_recoversContentAndCommitment() throws Exception {
        byte[] content = "the spare key is under the third stone".getBytes(StandardCharsets.UTF_8);
        Stored s = writeOneMemory(content);

        // Step 3: KEK = Argon2id(passphrase UTF-8, salt, opslimit, memlimit), 32 bytes.
        KeySlot slot = s.passphraseSlot;
        byte[] password = PASSPHRASE.getBytes(StandardCharsets.UTF_8);
        byte[] kek = new byte[32];
        assertThat(raw.crypto_pwhash(kek, 32, password, password.length, slot.salt(), slot.kdf().orElseThrow().opsLimit(),
                new NativeLong(slot.kdf().orElseThrow().memLimitBytes()), CRYPTO_PWHASH_ALG_ARGON2ID13)).isZero();

        byte[] dek = unwrap(s, slot, kek, 1);
        assertThat(recoverContent(s, dek)).isEqualTo(content);
        assertThat(commitment(s, dek, content)).isEqualTo(s.commitment);
    }

    @Test
    void recipe_withTheKeyFile_recoversTheSameDataKey() throws Exception {
        byte[] content = new byte[0];
        Stored s = writeOneMemory(content);
        byte[] viaFile = unwrap(s, s.keyFileSlot, s.keyFile.clone(), 2);
        assertThat(recoverContent(s, viaFile)).isEmpty();
        assertThat(commitment(s, viaFile, content)).isEqualTo(s.commitment);
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
        AssociatedData ad = new AssociatedData(1, MemoryId.parse("123e4567-e89b-42d3-a456-426614174000"), Classification.SEALED,
                ProfileId.of("default"), 1, Instant.parse("2025-01-02T03:04:05.678Z"), "agent-1");
        String documented = "4d564144" + "01" + "123e4567e89b42d3a456426614174000" + "03" + "0007" + "64656661756c74"
                + "00000001" + "0000019424f8632e" + "0007" + "6167656e742d31";
        assertThat(HexFormat.of().formatHex(ad.encode())).isEqualTo(documented);
        assertThat(HexFormat.of().formatHex(memoryAd("123e4567-e89b-42d3-a456-426614174000", 3, "default", 1,
                1735787045678L, "agent-1"))).isEqualTo(documented);
        assertThat(HexFormat.of().formatHex(slotAd("default", 1, 0, 1)))
                .isEqualTo("4d564b53" + "01" + "0007" + "64656661756c74" + "00000001" + "00000000" + "01");
    }

    /** Step 4: DEK = AEAD-decrypt(wrapped_key, slot AD, slot nonce, KEK). */
    private byte[] unwrap(Stored s, KeySlot slot, byte[] kek, int typeCode) throws IOException {
        byte[] ad = slotAd(s.profile, s.keyVersion, slot.slotId(), typeCode);
        byte[] wrapped = slot.wrappedKey();
        byte[] dek = new byte[32];
        assertThat(raw.crypto_aead_xchacha20poly1305_ietf_decrypt(dek, new long[1], null, wrapped, wrapped.length,
                ad, ad.length, slot.nonce(), kek)).isZero();
        return dek;
    }

    /** Steps 5 and 6. */
    private byte[] recoverContent(Stored s, byte[] dek) throws IOException {
        byte[] ad = memoryAd(s.memoryId, s.classification, s.profile, s.keyVersion, s.createdAtMs, s.createdBy);
        byte[] out = new byte[s.ciphertext.length - 16];
        assertThat(raw.crypto_aead_xchacha20poly1305_ietf_decrypt(out, new long[1], null, s.ciphertext, s.ciphertext.length,
                ad, ad.length, s.nonce, dek)).isZero();
        return out;
    }

    /** Step 7, with the JDK's HMAC-SHA-256 for an independent check of crypto_auth_hmacsha256. */
    private String commitment(Stored s, byte[] dek, byte[] content)
            throws IOException, NoSuchAlgorithmException, InvalidKeyException {
        byte[] commitKey = new byte[32];
        assertThat(raw.crypto_kdf_derive_from_key(commitKey, 32, 1, "mvcommit".getBytes(StandardCharsets.US_ASCII), dek)).isZero();
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
        out.writeByte(1);
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
