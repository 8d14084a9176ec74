package org.memoryvault.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.inject.Inject;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.PrincipalRecord;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.model.TierLocks;
import org.memoryvault.domain.port.Sealer;

/**
 * The key tiers and memory sealing of docs/FORMAT.md §2-5, §10 and §11, with libsodium only:
 * <ul>
 * <li>tier keys of levels 0-2: the level-2 key is random; {@code L(n-1) = BLAKE2b-256(key=L(n), "memory-vault/tier/<n-1>")};</li>
 * <li>key pairs of levels 3-5: {@code crypto_box_seed_keypair(BLAKE2b-256(key=owner key, "memory-vault/tier/<n>"))};
 *     level 5 bound to a device: {@code crypto_box_seed_keypair(BLAKE2b-256(key=owner key, "memory-vault/tier/5/device" || device secret))};</li>
 * <li>each memory: a random content key; content = XChaCha20-Poly1305-IETF(content key, AD);
 *     the content key wrapped with XChaCha20-Poly1305 under its level's tier key (levels 0-2, same AD)
 *     or {@code crypto_box_seal}ed to its level's public key (levels 3-5);</li>
 * <li>commitment: HMAC-SHA-256 under {@code crypto_kdf_derive_from_key(1, "mvcommit", content key)}.</li>
 * </ul>
 *
 * <p>Security: {@link #open} returns plaintext only after the tag and the commitment verified; any
 * failure is {@code INTEGRITY_TAMPERED} and reveals nothing about which byte was wrong. Every key
 * copied out of a handle is wiped before the method returns.
 */
final class SodiumSealer implements Sealer {
    private static final long COMMIT_SUBKEY_ID = 1;
    private static final byte[] COMMIT_CONTEXT = "mvcommit".getBytes(StandardCharsets.US_ASCII);
    static final int LOW_WRAP_BYTES = Libsodium.NONCE_BYTES + Libsodium.KEY_BYTES + Libsodium.TAG_BYTES;
    static final int HIGH_WRAP_BYTES = Libsodium.KEY_BYTES + Libsodium.BOX_SEAL_BYTES;
    static final int HIGH_LEVELS = 3;

    private final Libsodium sodium;

    @Inject
    SodiumSealer(LazySodiumJava binding) {
        this.sodium = new Libsodium(binding);
    }

    @Override
    public DataKey newDataKey(ProfileId profile, int keyVersion) {
        Objects.requireNonNull(profile, "profile");
        if (keyVersion < 1) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "key version must be 1 or more");
        return new SodiumDataKey(profile, keyVersion, 2, sodium.randomBytes(Libsodium.KEY_BYTES),
                sodium.randomBytes(Libsodium.KEY_BYTES), null);
    }

    @Override
    public DataKey withNewOwnerKey(DataKey tierKey) {
        if (SodiumDataKey.tierLevel(tierKey) != 2 || tierKey.reach() != 2) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "an owner key is added to a profile's level-2 key only", null);
        }
        return new SodiumDataKey(tierKey.profile(), tierKey.keyVersion(), 2, SodiumDataKey.copyOf(tierKey),
                sodium.randomBytes(Libsodium.KEY_BYTES), null);
    }

    @Override
    public DataKey withNewDeviceSecret(DataKey ownerKey) {
        if (!ownerKey.isOwner()) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "a device secret is added to the owner's key only", null);
        }
        return new SodiumDataKey(ownerKey.profile(), ownerKey.keyVersion(), 2, SodiumDataKey.copyOf(ownerKey),
                SodiumDataKey.ownerCopy(ownerKey), null, sodium.randomBytes(Libsodium.KEY_BYTES));
    }

    @Override
    public DataKey withNewTierKey(DataKey ownerKey, int keyVersion) {
        if (!ownerKey.isOwner()) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "a re-key starts from the owner's key only", null);
        }
        return new SodiumDataKey(ownerKey.profile(), keyVersion, 2, sodium.randomBytes(Libsodium.KEY_BYTES),
                SodiumDataKey.ownerCopy(ownerKey), null);
    }

    /** nonce || AEAD(key = H(O, "memory-vault/owner-secret"), T2 of next, ad = "MVRK" || 0x01 || string profile || u32be key_version). */
    @Override
    public byte[] sealPendingKey(DataKey ownerKey, DataKey next) {
        byte[] tier = SodiumDataKey.copyOf(next);
        try {
            return sealOwnerSecret(ownerKey, pendingAd(next.profile(), next.keyVersion()), tier);
        } finally {
            Libsodium.wipe(tier);
        }
    }

    @Override
    public DataKey openPendingKey(DataKey ownerKey, int keyVersion, byte[] sealed) {
        byte[] tier = openOwnerSecret(ownerKey, pendingAd(ownerKey.profile(), keyVersion), sealed);
        if (tier.length != Libsodium.KEY_BYTES) {
            Libsodium.wipe(tier);
            throw tampered("pending re-key");
        }
        return new SodiumDataKey(ownerKey.profile(), keyVersion, 2, tier, SodiumDataKey.ownerCopy(ownerKey), null);
    }

    private static byte[] pendingAd(ProfileId profile, int keyVersion) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 1 + 2 + p.length + 4).put(new byte[] {'M', 'V', 'R', 'K', 1})
                .putShort((short) p.length).put(p).putInt(keyVersion).array();
    }

    /** pk_3 || pk_4 || pk_5 (pk_5 from the owner key and the device secret) and the owner's binding MAC over them (FORMAT.md §3). */
    @Override
    public TierLocks bindLevel5(DataKey boundKey, TierLocks current) {
        if (current.isNone()) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "the profile has no key tiers", null);
        byte[] publicKeys = derivedPublicKeys(boundKey);
        byte[] mac = bindingMac(boundKey, publicKeys);
        return new TierLocks(publicKeys, current.ownerEscrow(), Optional.of(mac));
    }

    /** pk_3 || pk_4 || pk_5 as the key derives them (pk_5 with its device secret, if it carries one). */
    private byte[] derivedPublicKeys(DataKey ownerKey) {
        byte[] publicKeys = new byte[HIGH_LEVELS * Libsodium.BOX_PUBLIC_KEY_BYTES];
        for (int level = 3; level <= 5; level++) {
            byte[][] pair = tierPair(ownerKey, level);
            System.arraycopy(pair[0], 0, publicKeys, (level - 3) * Libsodium.BOX_PUBLIC_KEY_BYTES, Libsodium.BOX_PUBLIC_KEY_BYTES);
            Libsodium.wipe(pair[1]);
        }
        return publicKeys;
    }

    /** BLAKE2b-256(key = H(O, "memory-vault/tier/5/binding"), "MVL5" || 0x01 || string profile || u32be key_version || pk_3..pk_5). */
    private byte[] bindingMac(DataKey ownerKey, byte[] publicKeys) {
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        byte[] macKey = derive(owner, "memory-vault/tier/5/binding");
        try {
            byte[] p = ownerKey.profile().value().getBytes(StandardCharsets.UTF_8);
            byte[] message = ByteBuffer.allocate(5 + 2 + p.length + 4 + publicKeys.length).put(new byte[] {'M', 'V', 'L', '5', 1})
                    .putShort((short) p.length).put(p).putInt(ownerKey.keyVersion()).put(publicKeys).array();
            return sodium.keyedGenericHash(Libsodium.KEY_BYTES, message, macKey);
        } finally {
            Libsodium.wipe(owner, macKey);
        }
    }

    @Override
    public TierLocks locks(DataKey ownerKey, boolean escrowOwner) {
        if (ownerKey.hasDeviceSecret()) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "a bound level 5 has its locks from bindLevel5", null);
        }
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        try {
            byte[] publicKeys = derivedPublicKeys(ownerKey);
            Optional<byte[]> escrow = Optional.empty();
            if (escrowOwner) {
                byte[] low = SodiumDataKey.copyOf(ownerKey);
                try {
                    byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
                    byte[] wrapped = sodium.aeadEncrypt(low, nonce, escrowAd(ownerKey.profile(), ownerKey.keyVersion()), owner);
                    escrow = Optional.of(concat(nonce, wrapped));
                } finally {
                    Libsodium.wipe(low);
                }
            }
            return new TierLocks(publicKeys, escrow);
        } finally {
            Libsodium.wipe(owner);
        }
    }

    @Override
    public DataKey openEscrow(DataKey key, TierLocks locks) {
        byte[] escrow = locks.ownerEscrow().orElseThrow(() ->
                new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "the profile has no owner escrow", null));
        if (SodiumDataKey.tierLevel(key) != 2 || escrow.length != LOW_WRAP_BYTES) throw tampered("owner escrow");
        byte[] low = SodiumDataKey.copyOf(key);
        byte[] owner = new byte[Libsodium.KEY_BYTES];
        boolean ok = sodium.aeadDecrypt(owner, low, Arrays.copyOf(escrow, Libsodium.NONCE_BYTES),
                escrowAd(key.profile(), key.keyVersion()), Arrays.copyOfRange(escrow, Libsodium.NONCE_BYTES, escrow.length));
        if (!ok) {
            Libsodium.wipe(low);
            throw tampered("owner escrow");
        }
        return new SodiumDataKey(key.profile(), key.keyVersion(), 2, low, owner, null);
    }

    @Override
    public Sealed seal(DataKey key, TierLocks locks, AssociatedData ad, Plaintext plaintext) {
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(plaintext, "plaintext");
        if (!key.profile().equals(ad.profile()) || key.keyVersion() != ad.keyVersion()
                || ad.formatVersion() != AssociatedData.FORMAT_VERSION) {
            throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO,
                    "associated data names another profile, key version or format than the key", null);
        }
        int level = ad.classification().level();
        // one randombytes_buf call for the content key and both nonces (each libsodium call costs a JNA crossing)
        byte[] fresh = sodium.randomBytes(Libsodium.KEY_BYTES + 2 * Libsodium.NONCE_BYTES);
        byte[] contentKey = Arrays.copyOf(fresh, Libsodium.KEY_BYTES);
        byte[] nonce = Arrays.copyOfRange(fresh, Libsodium.KEY_BYTES, Libsodium.KEY_BYTES + Libsodium.NONCE_BYTES);
        byte[] wrapNonce = Arrays.copyOfRange(fresh, Libsodium.KEY_BYTES + Libsodium.NONCE_BYTES, fresh.length);
        Libsodium.wipe(fresh);
        try {
            byte[] adBytes = ad.encode();
            byte[] wrappedKey;
            if (level <= 2) {
                if (key.reach() < level) throw beyondReach(key, level);
                byte[] tier = tierKey(key, level);
                try {
                    wrappedKey = concat(wrapNonce, sodium.aeadEncrypt(tier, wrapNonce, adBytes, contentKey));
                } finally {
                    Libsodium.wipe(tier);
                }
            } else {
                wrappedKey = sodium.boxSeal(contentKey, publicKey(locks, level));
            }
            byte[] ciphertext = sodium.aeadEncrypt(contentKey, nonce, adBytes, plaintext.revealForCrypto());
            return new Sealed(new SealedContent(nonce, ciphertext, wrappedKey), commitment(contentKey, ad.id(), plaintext));
        } finally {
            Libsodium.wipe(contentKey);
        }
    }

    @Override
    public Plaintext open(DataKey key, AssociatedData ad, SealedContent sealed, ContentCommitment commitment) {
        Objects.requireNonNull(ad, "ad");
        Objects.requireNonNull(sealed, "sealed");
        requireProfile(key, ad);
        if (sealed.format() == 1) return openFormat1(key, ad, sealed, commitment);
        byte[] contentKey = unwrapContentKey(key, ad, sealed);
        try {
            return openWith(contentKey, ad, sealed, commitment);
        } finally {
            Libsodium.wipe(contentKey);
        }
    }

    @Override
    public byte[] commitKey(DataKey key, AssociatedData ad, SealedContent sealed, ContentCommitment commitment) {
        requireProfile(key, ad);
        if (sealed.format() == 1) {
            throw new InvalidInputException(ErrorCode.INPUT_STATE, "memory " + ad.id()
                    + " was sealed before key tiers and has no opening; run `vault profile upgrade`");
        }
        byte[] contentKey = unwrapContentKey(key, ad, sealed);
        try {
            openWith(contentKey, ad, sealed, commitment).close();
            return sodium.kdfDeriveFromKey(Libsodium.KEY_BYTES, COMMIT_SUBKEY_ID, COMMIT_CONTEXT, contentKey);
        } finally {
            Libsodium.wipe(contentKey);
        }
    }

    @Override
    public byte[] release(DataKey ownerKey, AssociatedData ad, SealedContent sealed, ContentCommitment commitment,
                          PrincipalRecord recipient) {
        requireProfile(ownerKey, ad);
        requireAuthentic(ownerKey, recipient);
        byte[] recipientPublicKey = recipient.boxPublicKey();
        if (recipientPublicKey.length != Libsodium.BOX_PUBLIC_KEY_BYTES) throw tampered("recipient key");
        if (sealed.format() == 1) {
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE,
                    "memory " + ad.id() + " was sealed before key tiers and cannot be released; run `vault profile upgrade`");
        }
        byte[] contentKey = unwrapContentKey(ownerKey, ad, sealed);
        try {
            // the key must open this memory, under this memory's associated data: a wrapped key moved in from
            // another row (to get the owner to release that other memory) fails here
            openWith(contentKey, ad, sealed, commitment).close();
            return sodium.boxSeal(contentKey, recipientPublicKey);
        } finally {
            Libsodium.wipe(contentKey);
        }
    }

    @Override
    public byte[] ownerSealKey(DataKey ownerKey) {
        byte[][] pair = sealPair(ownerKey);
        Libsodium.wipe(pair[1]);
        return pair[0];
    }

    @Override
    public byte[] signAsOwner(DataKey ownerKey, byte[] message) {
        byte[][] pair = sealPair(ownerKey);
        try {
            return sodium.signDetached(message, pair[1]);
        } finally {
            Libsodium.wipe(pair[1]);
        }
    }

    /** nonce (24) || XChaCha20-Poly1305(key = H(owner key, "memory-vault/owner-secret"), nonce, ad, secret) (FORMAT.md §13). */
    @Override
    public byte[] sealOwnerSecret(DataKey ownerKey, byte[] ad, byte[] secret) {
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        byte[] key = derive(owner, "memory-vault/owner-secret");
        try {
            byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
            return concat(nonce, sodium.aeadEncrypt(key, nonce, ad, secret));
        } finally {
            Libsodium.wipe(owner, key);
        }
    }

    @Override
    public byte[] openOwnerSecret(DataKey ownerKey, byte[] ad, byte[] sealed) {
        if (sealed.length < Libsodium.NONCE_BYTES + Libsodium.TAG_BYTES) throw tampered("sealed owner secret");
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        byte[] key = derive(owner, "memory-vault/owner-secret");
        try {
            byte[] out = new byte[sealed.length - Libsodium.NONCE_BYTES - Libsodium.TAG_BYTES];
            if (!sodium.aeadDecrypt(out, key, Arrays.copyOf(sealed, Libsodium.NONCE_BYTES), ad,
                    Arrays.copyOfRange(sealed, Libsodium.NONCE_BYTES, sealed.length))) {
                Libsodium.wipe(out);
                throw tampered("sealed owner secret");
            }
            return out;
        } finally {
            Libsodium.wipe(owner, key);
        }
    }

    @Override
    public boolean verifySignature(byte[] publicKey, byte[] message, byte[] signature) {
        return sodium.verifyDetached(signature, message, publicKey);
    }

    /** The owner's seal key pair: Ed25519 from the seed H(owner key, "memory-vault/owner-seal") (FORMAT.md §12); caller wipes the secret. */
    private byte[][] sealPair(DataKey ownerKey) {
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        byte[] seed = derive(owner, "memory-vault/owner-seal");
        try {
            return sodium.signSeedKeypair(seed);
        } finally {
            Libsodium.wipe(owner, seed);
        }
    }

    @Override
    public void requireAuthentic(DataKey ownerKey, TierLocks locks) {
        if (locks.isNone()) return;
        byte[] stored = locks.publicKeys();
        byte[] derived = derivedPublicKeys(ownerKey);
        int checked = derived.length;
        Optional<byte[]> binding = locks.level5Binding();
        if (binding.isPresent()) {
            if (!MessageDigest.isEqual(bindingMac(ownerKey, stored), binding.get())) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the level-5 binding of profile " + ownerKey.profile()
                        + " in vault.db is not the one its owner made: it was replaced outside the vault", null);
            }
            if (!ownerKey.hasDeviceSecret()) checked -= Libsodium.BOX_PUBLIC_KEY_BYTES;   // pk_5 needs the device secret
        } else if (ownerKey.hasDeviceSecret()) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "profile " + ownerKey.profile()
                    + " has level-5 device slots but vault.db no longer binds its level 5: the binding was removed outside the vault", null);
        }
        if (stored.length != derived.length || !MessageDigest.isEqual(Arrays.copyOf(derived, checked), Arrays.copyOf(stored, checked))) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the level 3-5 public keys of profile " + ownerKey.profile()
                    + " in vault.db are not the ones its owner key derives: they were replaced outside the vault", null);
        }
    }

    @Override
    public void requireAuthentic(DataKey ownerKey, PrincipalRecord principal) {
        byte[] expected = principalMac(ownerKey, principal.name(), principal.clearance(), principal.credentialId(),
                principal.boxPublicKey(), principal.wrappedKey());
        if (!principal.profile().equals(ownerKey.profile()) || principal.keyVersion() != ownerKey.keyVersion()
                || !MessageDigest.isEqual(expected, principal.ownerMac())) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "the row of principal " + principal.name()
                    + " in vault.db is not the one the owner enrolled: it was edited outside the vault", null);
        }
    }

    @Override
    public Plaintext openReleased(DataKey agentKey, byte[] release, AssociatedData ad, SealedContent sealed,
                                  ContentCommitment commitment) {
        requireProfile(agentKey, ad);
        byte[] secret = SodiumDataKey.boxSecretCopy(agentKey);
        byte[] contentKey = new byte[Libsodium.KEY_BYTES];
        try {
            byte[] publicKey = sodium.scalarMultBase(secret);
            if (!sodium.boxSealOpen(contentKey, release, publicKey, secret)) throw tampered("released key");
            return openWith(contentKey, ad, sealed, commitment);
        } finally {
            Libsodium.wipe(secret, contentKey);
        }
    }

    @Override
    public Enrollment enroll(DataKey key, String name, Classification clearance, SlotSecret credential) {
        int level = Math.min(clearance.level(), 2);
        if (!key.isOwner()) throw new InternalVaultException(ErrorCode.INTERNAL_CRYPTO, "enrolling a principal needs the owner's key", null);
        byte[] cred = credentialBytes(credential);
        byte[] tier = tierKey(key, level);
        byte[] kek = derive(cred, "memory-vault/principal/kek");
        byte[] seed = derive(cred, "memory-vault/principal/box");
        try {
            byte[][] pair = sodium.boxSeedKeypair(seed);
            Libsodium.wipe(pair[1]);
            byte[] nonce = sodium.randomBytes(Libsodium.NONCE_BYTES);
            byte[] wrapped = concat(nonce, sodium.aeadEncrypt(kek, nonce, principalAd(name, key.profile(), key.keyVersion(), clearance), tier));
            String id = credentialId(credential);
            return new Enrollment(id, pair[0], wrapped, principalMac(key, name, clearance, id, pair[0], wrapped));
        } finally {
            Libsodium.wipe(cred, tier, kek, seed);
        }
    }

    @Override
    public DataKey authenticate(PrincipalRecord principal, SlotSecret credential) {
        byte[] wrapped = principal.wrappedKey();
        if (wrapped.length != LOW_WRAP_BYTES) throw tampered("principal record");
        byte[] cred = credentialBytes(credential);
        byte[] kek = derive(cred, "memory-vault/principal/kek");
        byte[] seed = derive(cred, "memory-vault/principal/box");
        byte[] tier = new byte[Libsodium.KEY_BYTES];
        try {
            byte[] ad = principalAd(principal.name(), principal.profile(), principal.keyVersion(), principal.clearance());
            if (!sodium.aeadDecrypt(tier, kek, Arrays.copyOf(wrapped, Libsodium.NONCE_BYTES), ad,
                    Arrays.copyOfRange(wrapped, Libsodium.NONCE_BYTES, wrapped.length))) {
                Libsodium.wipe(tier);
                throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the principal credential does not open");
            }
            byte[][] pair = sodium.boxSeedKeypair(seed);
            return new SodiumDataKey(principal.profile(), principal.keyVersion(), Math.min(principal.clearance().level(), 2),
                    tier, null, pair[1]);
        } finally {
            Libsodium.wipe(cred, kek, seed);
        }
    }

    @Override
    public String credentialId(SlotSecret credential) {
        byte[] cred = credentialBytes(credential);
        try {
            return HexFormat.of().formatHex(derive(cred, "memory-vault/principal/id"));
        } finally {
            Libsodium.wipe(cred);
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The content key of a format-2 memory, with a key that reaches its level (caller wipes). */
    private byte[] unwrapContentKey(DataKey key, AssociatedData ad, SealedContent sealed) {
        int level = ad.classification().level();
        if (key.reach() < level) throw beyondReach(key, level);
        byte[] wrapped = sealed.wrappedKey();
        byte[] contentKey = new byte[Libsodium.KEY_BYTES];
        if (level <= 2) {
            if (wrapped.length != LOW_WRAP_BYTES) throw tampered("memory content key");
            byte[] tier = tierKey(key, level);
            try {
                if (!sodium.aeadDecrypt(contentKey, tier, Arrays.copyOf(wrapped, Libsodium.NONCE_BYTES), ad.encode(),
                        Arrays.copyOfRange(wrapped, Libsodium.NONCE_BYTES, wrapped.length))) {
                    throw tampered("memory content");
                }
            } finally {
                Libsodium.wipe(tier);
            }
            return contentKey;
        }
        if (wrapped.length != HIGH_WRAP_BYTES) throw tampered("memory content key");
        byte[][] pair = tierPair(key, level);
        try {
            if (!sodium.boxSealOpen(contentKey, wrapped, pair[0], pair[1])) throw tampered("memory content");
            return contentKey;
        } finally {
            Libsodium.wipe(pair[1]);
        }
    }

    private Plaintext openWith(byte[] contentKey, AssociatedData ad, SealedContent sealed, ContentCommitment commitment) {
        byte[] ciphertext = sealed.ciphertext();
        if (ciphertext.length < Libsodium.TAG_BYTES) throw tampered("memory content");
        byte[] out = new byte[ciphertext.length - Libsodium.TAG_BYTES];
        if (!sodium.aeadDecrypt(out, contentKey, sealed.nonce(), ad.encode(), ciphertext)) throw tampered("memory content");
        Plaintext p = Plaintext.adopt(out);
        if (!commitment(contentKey, ad.id(), p).matches(commitment)) {
            p.close();
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "memory " + ad.id() + " does not match its content commitment", null);
        }
        return p;
    }

    /** Format 1 (before key tiers): content sealed directly under the profile's level-2 key. */
    private Plaintext openFormat1(DataKey key, AssociatedData ad, SealedContent sealed, ContentCommitment commitment) {
        if (SodiumDataKey.tierLevel(key) != 2) throw beyondReach(key, ad.classification().level());
        byte[] k = SodiumDataKey.copyOf(key);
        try {
            return openWith(k, ad, sealed, commitment);
        } finally {
            Libsodium.wipe(k);
        }
    }

    private ContentCommitment commitment(byte[] contentKey, MemoryId id, Plaintext plaintext) {
        byte[] content = plaintext.revealForCrypto();
        byte[] commitKey = sodium.kdfDeriveFromKey(Libsodium.KEY_BYTES, COMMIT_SUBKEY_ID, COMMIT_CONTEXT, contentKey);
        byte[] message = ByteBuffer.allocate(16 + content.length)
                .putLong(id.value().getMostSignificantBits()).putLong(id.value().getLeastSignificantBits())
                .put(content).array();
        try {
            return new ContentCommitment(HexFormat.of().formatHex(sodium.hmacSha256(commitKey, message)));
        } finally {
            Libsodium.wipe(commitKey, message);
        }
    }

    /** The tier key of {@code level} (0-2) derived from the key's own tier key (caller wipes). */
    private byte[] tierKey(DataKey key, int level) {
        int have = SodiumDataKey.tierLevel(key);
        if (level > have) throw beyondReach(key, level);
        return SodiumDataKey.tierCopy(key, level, (k, n) -> derive(k, "memory-vault/tier/" + n));
    }

    /**
     * The key pair of level 3-5 derived from the owner key, and for level 5 also from the device
     * secret if the key carries one: {public, secret} (caller wipes the secret).
     */
    private byte[][] tierPair(DataKey ownerKey, int level) {
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        byte[] seed;
        if (level == 5 && ownerKey.hasDeviceSecret()) {
            byte[] device = SodiumDataKey.deviceCopy(ownerKey);
            byte[] message = concat("memory-vault/tier/5/device".getBytes(StandardCharsets.US_ASCII), device);
            seed = sodium.keyedGenericHash(Libsodium.KEY_BYTES, message, owner);
            Libsodium.wipe(device, message);
        } else {
            seed = derive(owner, "memory-vault/tier/" + level);
        }
        try {
            return sodium.boxSeedKeypair(seed);
        } finally {
            Libsodium.wipe(owner, seed);
        }
    }

    private byte[] derive(byte[] key, String label) {
        return sodium.keyedGenericHash(Libsodium.KEY_BYTES, label.getBytes(StandardCharsets.US_ASCII), key);
    }

    private static byte[] publicKey(TierLocks locks, int level) {
        byte[] all = locks.publicKeys();
        if (all.length != HIGH_LEVELS * Libsodium.BOX_PUBLIC_KEY_BYTES) {
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "the profile has no key for level " + level
                    + " yet (it was created before key tiers); run `vault profile upgrade`");
        }
        int from = (level - 3) * Libsodium.BOX_PUBLIC_KEY_BYTES;
        return Arrays.copyOfRange(all, from, from + Libsodium.BOX_PUBLIC_KEY_BYTES);
    }

    private static byte[] credentialBytes(SlotSecret credential) {
        byte[] b = credential.revealForCrypto();
        if (!credential.type().equals(SlotType.KEY_FILE) || b.length != Libsodium.KEY_BYTES) {
            throw new InvalidInputException(ErrorCode.INPUT_KEY_FILE, "a principal credential file must hold exactly 32 bytes");
        }
        return b.clone();
    }

    private static void requireProfile(DataKey key, AssociatedData ad) {
        if (!key.profile().equals(ad.profile()) || key.keyVersion() != ad.keyVersion()) {
            throw new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "memory " + ad.id() + " belongs to profile "
                    + ad.profile() + " (key version " + ad.keyVersion() + "); this key is of " + key.profile()
                    + " (version " + key.keyVersion() + ")");
        }
    }

    /**
     * The owner's MAC over a principal row: keyed BLAKE2b-256 under H(owner key, "memory-vault/principal-mac") of
     * "MVPM" v1 || principal AD fields || string credential_id || box_pk || wrapped_key (FORMAT.md §10).
     */
    private byte[] principalMac(DataKey ownerKey, String name, Classification clearance, String credentialId, byte[] boxPublicKey,
                                byte[] wrappedKey) {
        byte[] owner = SodiumDataKey.ownerCopy(ownerKey);
        byte[] macKey = derive(owner, "memory-vault/principal-mac");
        try {
            byte[] ad = principalAd(name, ownerKey.profile(), ownerKey.keyVersion(), clearance);
            byte[] id = credentialId.getBytes(StandardCharsets.US_ASCII);
            byte[] message = ByteBuffer.allocate(4 + 1 + ad.length + 2 + id.length + boxPublicKey.length + wrappedKey.length)
                    .put(new byte[] {'M', 'V', 'P', 'M', 1}).put(ad).putShort((short) id.length).put(id).put(boxPublicKey)
                    .put(wrappedKey).array();
            return sodium.keyedGenericHash(Libsodium.KEY_BYTES, message, macKey);
        } finally {
            Libsodium.wipe(owner, macKey);
        }
    }

    /** "MVOE" v1, profile, key version: binds an owner escrow to its profile. */
    private static byte[] escrowAd(ProfileId profile, int keyVersion) {
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 1 + 2 + p.length + 4).put(new byte[] {'M', 'V', 'O', 'E', 1})
                .putShort((short) p.length).put(p).putInt(keyVersion).array();
    }

    /** "MVPR" v1, name, profile, key version, clearance: binds a principal's wrapped key to its row. */
    static byte[] principalAd(String name, ProfileId profile, int keyVersion, Classification clearance) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] p = profile.value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 1 + 2 + n.length + 2 + p.length + 4 + 1).put(new byte[] {'M', 'V', 'P', 'R', 1})
                .putShort((short) n.length).put(n).putShort((short) p.length).put(p).putInt(keyVersion)
                .put((byte) clearance.level()).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static AccessRefusedException beyondReach(DataKey key, int level) {
        String have = key.isOwner() ? "the owner's key" : "a key that reaches level " + key.reach();
        return new AccessRefusedException(ErrorCode.ACCESS_CLEARANCE, "a level-" + level + " memory does not open with "
                + have + (level >= 3 ? "; levels 3-5 need the owner's passphrase or a key the owner released" : ""));
    }

    private static IntegrityException tampered(String what) {
        return new IntegrityException(ErrorCode.INTEGRITY_TAMPERED,
                what + " failed authentication: tampered record or wrong key", null);
    }
}
