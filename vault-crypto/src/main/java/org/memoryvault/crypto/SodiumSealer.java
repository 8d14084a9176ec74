package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.port.Sealer;

/**
 * Seals memory content with XChaCha20-Poly1305-IETF under the profile's data key, a fresh random
 * 24-byte nonce per seal, and {@link AssociatedData#encode()} as associated data (docs/FORMAT.md §2, §4).
 * The content commitment is HMAC-SHA-256 under a subkey of the data key (docs/FORMAT.md §5).
 *
 * <p>Security: {@link #open} returns plaintext only after the tag verified; any failure is
 * {@code INTEGRITY_TAMPERED} and reveals nothing about which byte was wrong. Random nonces of 192
 * bits make a nonce repeat under one key negligible for any number of memories. Keys not made by
 * this module and closed keys are refused ({@code INTERNAL_CRYPTO}).
 */
final class SodiumSealer implements Sealer {
    private static final long COMMIT_SUBKEY_ID = 1;
    private static final byte[] COMMIT_CONTEXT = "mvcommit".getBytes(StandardCharsets.US_ASCII);

    private final Libsodium sodium;

    @Inject
    SodiumSealer(LazySodiumJava binding) {
        this.sodium = new Libsodium(binding);
    }

    @Override
    public DataKey newDataKey(ProfileId profile, int keyVersion) {
        Objects.requireNonNull(profile, "profile");
        if (keyVersion < 1) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "key version must be 1 or more");
        return new SodiumDataKey(profile, keyVersion, sodium.randomBytes(Libsodium.KEY_BYTES));
    }

    @Override
    public SealedContent seal(DataKey key, AssociatedData ad, Plaintext plaintext) {
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(plaintext, "plaintext");
        if (!key.profile().equals(ad.profile()) || key.keyVersion() != ad.keyVersion()) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO,
                    "associated data names another profile or key version than the data key", null);
        }
        byte[] k = SodiumDataKey.copyOf(key);
        try {
            byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
            byte[] ciphertext = sodium.aeadEncrypt(k, nonce, ad.encode(), plaintext.revealForCrypto());
            return new SealedContent(nonce, ciphertext);
        } finally {
            Libsodium.wipe(k);
        }
    }

    @Override
    public Plaintext open(DataKey key, AssociatedData ad, SealedContent sealed) {
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(sealed, "sealed");
        byte[] ciphertext = sealed.ciphertext();
        if (ciphertext.length < Libsodium.TAG_BYTES) throw tampered();
        byte[] k = SodiumDataKey.copyOf(key);
        byte[] out = new byte[ciphertext.length - Libsodium.TAG_BYTES];
        try {
            if (!sodium.aeadDecrypt(out, k, sealed.nonce(), ad.encode(), ciphertext)) throw tampered();
            return Plaintext.adopt(out);
        } finally {
            Libsodium.wipe(k);
        }
    }

    @Override
    public ContentCommitment commit(DataKey key, MemoryId id, Plaintext plaintext) {
        Objects.requireNonNull(id, "id");
        byte[] content = plaintext.revealForCrypto();
        byte[] k = SodiumDataKey.copyOf(key);
        byte[] commitKey = new byte[0];
        byte[] message = ByteBuffer.allocate(16 + content.length)
                .putLong(id.value().getMostSignificantBits()).putLong(id.value().getLeastSignificantBits())
                .put(content).array();
        try {
            commitKey = sodium.kdfDeriveFromKey(Libsodium.KEY_BYTES, COMMIT_SUBKEY_ID, COMMIT_CONTEXT, k);
            return new ContentCommitment(HexFormat.of().formatHex(sodium.hmacSha256(commitKey, message)));
        } finally {
            Libsodium.wipe(k, commitKey, message);
        }
    }

    private static IntegrityException tampered() {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                "memory content failed authentication: tampered record or wrong key", null);
    }
}
