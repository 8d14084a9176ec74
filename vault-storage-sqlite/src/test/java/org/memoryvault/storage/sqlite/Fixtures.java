package org.memoryvault.storage.sqlite;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.SealedContent;
import org.memoryvault.domain.model.SlotType;

/** Test data: memories, profiles and slots with every field set, from a seeded generator. */
final class Fixtures {
    static final ProfileId PROFILE = ProfileId.of("default");
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123Z");

    private final Random random;

    Fixtures(long seed) { this.random = new Random(seed); }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    MemoryId id() { return MemoryId.generate(random); }

    ContentCommitment commitment() { return new ContentCommitment(HexFormat.of().formatHex(bytes(32))); }

    SealedContent sealed() {
        return new SealedContent(bytes(SealedContent.NONCE_BYTES), bytes(48 + SealedContent.TAG_BYTES), bytes(72));
    }

    /** A fresh level-1 memory with metadata {@code {"topic": topic}}. */
    Memory memory(String topic) { return memory(Classification.WORKING, T0, "{\"topic\":\"" + topic + "\"}"); }

    Memory memory(Classification level, Instant createdAt, String metadataJson) {
        return new Memory(id(), createdAt, "agent-7", level, PROFILE, 1, new AccessPolicy(new Cooldown(Duration.ofMinutes(5))),
                new Metadata(metadataJson), List.of("intent:abc", "weird \"quoted\"\\ ref\n"), commitment(),
                Optional.of(sealed()), Optional.empty(), Optional.empty());
    }

    Profile profile(ProfileId id) {
        return new Profile(id, T0, 1, List.of(passphraseSlot(0), keyFileSlot(1)));
    }

    KeySlot passphraseSlot(int slotId) {
        return new KeySlot(slotId, SlotType.PASSPHRASE, "main passphrase", Optional.of(new KdfParameters(3, 64L << 20)),
                bytes(16), bytes(24), bytes(48), T0.plusSeconds(slotId));
    }

    KeySlot keyFileSlot(int slotId) {
        return new KeySlot(slotId, SlotType.KEY_FILE, "/home/me/vault.key", Optional.empty(), new byte[0], bytes(24),
                bytes(48), T0.plusSeconds(slotId));
    }
}
