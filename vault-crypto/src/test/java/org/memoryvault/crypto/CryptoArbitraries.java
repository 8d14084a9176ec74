package org.memoryvault.crypto;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.memoryvault.domain.model.AssociatedData;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.ProfileId;

/** Generators shared by the properties of this module (static factories, not a jqwik domain). */
final class CryptoArbitraries {
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private CryptoArbitraries() {}

    static Arbitrary<ProfileId> profiles() {
        return Combinators.combine(Arbitraries.of(ALNUM.chars().mapToObj(c -> (char) c).toList()),
                        Arbitraries.strings().withChars(ALNUM + "._-").ofMaxLength(63))
                .as((first, rest) -> new ProfileId(first + rest));
    }

    static Arbitrary<MemoryId> memoryIds() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((m, l) -> new MemoryId(new UUID(m, l)));
    }

    /** Printable text including non-ASCII, without lone surrogates (which UTF-8 cannot encode). */
    static Arbitrary<String> text(int min, int max) {
        return Arbitraries.strings().withCharRange('!', '~').withCharRange('\u00a1', '\u024f')
                .withCharRange('\u4e00', '\u4fff').ofMinLength(min).ofMaxLength(max);
    }

    static Arbitrary<AssociatedData> associatedData() {
        return Combinators.combine(memoryIds(), Arbitraries.of(Classification.class), profiles(),
                        Arbitraries.integers().between(1, Integer.MAX_VALUE),
                        Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli),
                        text(1, 128))
                .as((id, c, p, v, at, by) -> new AssociatedData(AssociatedData.FORMAT_VERSION, id, c, p, v, at, by));
    }

    /** Random content of 0..maxBytes bytes, drawn from a seed (fast even for 64 KiB; shrinks by size). */
    static Arbitrary<byte[]> contents(int maxBytes) {
        return Combinators.combine(Arbitraries.integers().between(0, maxBytes), Arbitraries.longs()).as((n, seed) -> {
            byte[] b = new byte[n];
            new Random(seed).nextBytes(b);
            return b;
        });
    }
}
