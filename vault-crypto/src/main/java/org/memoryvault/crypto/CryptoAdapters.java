package org.memoryvault.crypto;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.port.SlotBackend;
import org.memoryvault.domain.port.KeySource;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.UnlockSessions;

/**
 * Builds vault-crypto's adapters for callers that wire by hand (the app, integration tests), all on
 * the one libsodium binding of the process. The adapter classes stay package-private.
 */
public final class CryptoAdapters {
    private CryptoAdapters() {}

    /** XChaCha20-Poly1305 sealing of memory content (docs/FORMAT.md §2, §4, §5). */
    public static Sealer sealer() { return new SodiumSealer(Libsodium.sharedBinding()); }

    /** This module's slot backends: passphrase (Argon2id) and key file. */
    public static List<SlotBackend> softwareBackends() {
        return List.of(new Argon2idSlotBackend(Libsodium.sharedBinding()), new KeyFileSlotBackend());
    }

    /**
     * The key-slot cipher over this module's backends and {@code more} (e.g. a hardware backend);
     * {@code INTERNAL_ERROR} if two backends claim one slot type.
     */
    public static KeySource keySource(Collection<SlotBackend> more) {
        List<SlotBackend> all = new java.util.ArrayList<>(softwareBackends());
        all.addAll(more);
        return new SodiumKeySource(new Libsodium(Libsodium.sharedBinding()), all);
    }

    /**
     * Session records in {@code dir} (created 0700 on first write), opened by the token that
     * {@code token} supplies when asked (the app passes {@code $MEMORY_VAULT_SESSION}).
     */
    public static UnlockSessions fileSessions(Path dir, Supplier<Optional<String>> token, Clock clock) {
        return new FileUnlockSessions(dir, token, clock, Libsodium.sharedBinding());
    }

    /** The audit log's Ed25519 signer, keeping its key epochs as 0600 files in {@code auditDir} (0700). */
    public static org.memoryvault.domain.port.Signer auditSigner(Path auditDir) {
        return new SodiumEd25519Signer(auditDir, Libsodium.sharedBinding());
    }
}
