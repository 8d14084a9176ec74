package org.memoryvault.domain.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.ContentCommitment;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Principal;
import org.memoryvault.domain.model.ProfileId;

/**
 * Static jqwik {@link Arbitrary} factories for domain values (static factories, not registered
 * domains: jqwik#407). Every value generated is valid; instants are millisecond-exact.
 */
public final class DomainArbitraries {
    /** 2000-01-01 .. 2100-01-01 in milliseconds. */
    private static final long MIN_MILLIS = 946_684_800_000L;
    private static final long MAX_MILLIS = 4_102_444_800_000L;

    private DomainArbitraries() {}

    public static Arbitrary<Classification> classifications() { return Arbitraries.of(Classification.class); }

    public static Arbitrary<MemoryId> memoryIds() {
        return Arbitraries.longs().tuple2().map(t -> new MemoryId(new UUID(
                (t.get1() & ~0xF000L) | 0x4000L, (t.get2() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)));
    }

    /** Valid principal names: 1-40 printable ASCII characters without spaces. */
    public static Arbitrary<String> principalNames() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40);
    }

    public static Arbitrary<Principal> principals() {
        return Combinators.combine(principalNames(), classifications()).as(Principal::new);
    }

    public static Arbitrary<ProfileId> profileIds() {
        Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('0', '9');
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('.', '_', '-')
                .ofMaxLength(20);
        return Combinators.combine(first, rest).as((f, r) -> ProfileId.of(f + r));
    }

    /** Compact JSON objects of 0-4 string fields whose values are words (searchable). */
    public static Arbitrary<Metadata> metadata() {
        Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> value = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars(' ')
                .ofMaxLength(30);
        return Arbitraries.maps(key, value).ofMaxSize(4).map(m -> {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, v) -> {
                if (b.length() > 1) b.append(',');
                b.append('"').append(k).append("\":\"").append(v).append('"');
            });
            return new Metadata(b.append('}').toString());
        });
    }

    /** Cooldowns of 0 to 7 days, whole seconds, zero often. */
    public static Arbitrary<Cooldown> cooldowns() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Cooldown.NONE)),
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(1, 7L * 86_400).map(s -> new Cooldown(Duration.ofSeconds(s)))));
    }

    /** Millisecond-exact instants from 2000 to 2100. */
    public static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(MIN_MILLIS, MAX_MILLIS).map(Instant::ofEpochMilli);
    }

    public static Arbitrary<ContentCommitment> commitments() {
        return Arbitraries.strings().withChars("0123456789abcdef".toCharArray()).ofLength(64).map(ContentCommitment::new);
    }

    /** Live (not tombstoned, never recalled) memories with dummy sealed content and random fields. */
    public static Arbitrary<Memory> memories() {
        return Combinators.combine(memoryIds(), instants(), principalNames(), classifications(), profileIds(),
                        Arbitraries.integers().between(1, 5), cooldowns(), metadata())
                .as((id, at, by, c, profile, version, cooldown, meta) -> MemoryTestData.aMemory()
                        .withId(id).withCreatedAt(at).withCreatedBy(by).withClassification(c).withProfile(profile)
                        .withKeyVersion(version).withPolicy(new AccessPolicy(cooldown)).withMetadata(meta).build());
    }

    /** Memories like {@link #memories()} with a given classification. */
    public static Arbitrary<Memory> memoriesOf(Classification classification) {
        return memories().map(m -> new Memory(m.id(), m.createdAt(), m.createdBy(), classification, m.profile(), m.keyVersion(),
                m.policy(), m.metadata(), m.intentRefs(), m.commitment(), m.sealed(), Optional.empty(), Optional.empty()));
    }

    /** Intent references: 0-3 short non-blank strings. */
    public static Arbitrary<List<String>> intentRefs() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20).list().ofMaxSize(3);
    }
}
