package org.memoryvault.domain.port;

/**
 * Ed25519 signing with the vault's audit key, one key per numbered epoch (epochs start at 1).
 * The audit log decides which epoch is current; the signer only keeps the private keys.
 *
 * <p>Security: private key bytes never leave the implementation. After {@link #destroy} an
 * epoch's private key is gone for good; callers never call {@link #ensureKey} again for an epoch
 * they have destroyed (it would create a new, unrelated key).
 */
public interface Signer {
    /** The 32-byte Ed25519 public key of {@code epoch}, creating the epoch's key if it has none. */
    byte[] ensureKey(int epoch);

    /** The 64-byte Ed25519 signature of {@code message} by {@code epoch}'s key. */
    byte[] sign(int epoch, byte[] message);

    /** Destroys {@code epoch}'s private key; does nothing if it is already gone. */
    void destroy(int epoch);
}
