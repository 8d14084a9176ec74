package org.memoryvault.crypto;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.SlotType;
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

    /** The software key sources of this module: passphrase (Argon2id) and key file. An unmodifiable map. */
    public static Map<SlotType, KeySource> keySources() {
        Map<SlotType, KeySource> sources = new EnumMap<>(SlotType.class);
        sources.put(SlotType.PASSPHRASE, new PassphraseKeySource(Libsodium.sharedBinding()));
        sources.put(SlotType.KEY_FILE, new KeyFileKeySource(Libsodium.sharedBinding()));
        return Map.copyOf(sources);
    }

    /** A new, empty data-key cache; close it at exit to zero every cached key. */
    public static ClosableUnlockedKeys unlockedKeys(Clock clock) { return new InMemoryUnlockedKeys(clock); }

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
