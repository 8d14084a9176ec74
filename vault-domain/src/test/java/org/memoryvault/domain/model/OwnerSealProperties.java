package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.memoryvault.domain.error.IntegrityException;

/** The owner seal's statement and witness text (docs/FORMAT.md §12): exact round trips, strict parsing. */
class OwnerSealProperties {
    @Provide
    Arbitrary<OwnerSeal.Statement> statements() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        Arbitrary<OwnerSeal.StateDigests> digests = Combinators.combine(hex, hex, hex, hex).as(OwnerSeal.StateDigests::new);
        return Combinators.combine(Arbitraries.strings().withChars("0123456789abcdef").ofLength(32),
                Arbitraries.longs().between(1, OwnerSeal.MAX_SEQ), Arbitraries.longs().between(0, 4_000_000_000_000L),
                Arbitraries.of("default", "work", "a.b-c_d"), Arbitraries.longs().between(0, OwnerSeal.MAX_SEQ), hex,
                Arbitraries.of(true, false), digests).as((vault, seq, at, profile, size, root, lockdown, state) ->
                new OwnerSeal.Statement(vault, seq, at, ProfileId.of(profile), size, root, lockdown, state, root));
    }

    @Property(tries = 300)
    void aSealsText_parsesBackToTheSameSeal(@ForAll("statements") OwnerSeal.Statement s) {
        OwnerSeal seal = new OwnerSeal(s.text(), new byte[32], new byte[64]);
        assertThat(seal.statement()).isEqualTo(s);
        assertThat(OwnerSeal.parse(seal.text())).isEqualTo(seal);
        assertThat(s.differences(s.state(), s.settings())).isEmpty();
    }

    @Property(tries = 300)
    void anyInsertedOrDeletedCharacter_isRefusedOrChangesTheStatement(@ForAll("statements") OwnerSeal.Statement s,
                                                                      @ForAll @IntRange(min = 0, max = 2000) int at,
                                                                      @ForAll boolean delete) {
        String text = s.text();
        int i = at % text.length();
        String changed = delete ? text.substring(0, i) + text.substring(i + 1) : text.substring(0, i) + "7" + text.substring(i);
        try {
            OwnerSeal.Statement parsed = new OwnerSeal(changed, new byte[32], new byte[64]).statement();
            assertThat(parsed).isNotEqualTo(s);
            assertThat(parsed.text()).as("only canonical text parses").isEqualTo(changed);
        } catch (IntegrityException refused) {
            assertThat(refused.getMessage()).contains("owner seal is malformed");
        }
    }

    @Property(tries = 100)
    void differences_nameExactlyWhatChanged(@ForAll("statements") OwnerSeal.Statement s, @ForAll @IntRange(min = 0, max = 4) int which) {
        String other = "f".repeat(64).equals(s.state().approvals()) ? "e".repeat(64) : "f".repeat(64);
        OwnerSeal.StateDigests d = s.state();
        OwnerSeal.StateDigests now = switch (which) {
            case 0 -> new OwnerSeal.StateDigests(other, d.principals(), d.profileKeys(), d.tombstones());
            case 1 -> new OwnerSeal.StateDigests(d.approvals(), other.equals(d.principals()) ? "0".repeat(64) : other, d.profileKeys(), d.tombstones());
            case 2 -> new OwnerSeal.StateDigests(d.approvals(), d.principals(), other.equals(d.profileKeys()) ? "0".repeat(64) : other, d.tombstones());
            case 3 -> new OwnerSeal.StateDigests(d.approvals(), d.principals(), d.profileKeys(), other.equals(d.tombstones()) ? "0".repeat(64) : other);
            default -> d;
        };
        String settings = which == 4 ? (other.equals(s.settings()) ? "0".repeat(64) : other) : s.settings();
        assertThat(s.differences(now, settings)).hasSize(1);
    }

    @Property(tries = 50)
    void aSeqOrSizeBeyond2To53_isRefused_soNoNextSeqOverflows(@ForAll("statements") OwnerSeal.Statement s,
                                                              @ForAll @net.jqwik.api.constraints.LongRange(min = (1L << 53) + 1) long big) {
        String text = s.text();
        assertThatThrownBy(() -> new OwnerSeal(text.replaceFirst("(?m)^seq .*$", "seq " + big), new byte[32], new byte[64]).statement())
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> new OwnerSeal(text.replaceFirst("(?m)^audit [0-9]+", "audit " + big), new byte[32], new byte[64])
                .statement()).isInstanceOf(IntegrityException.class);
    }

    @Property(tries = 50)
    void aWitnessWithoutItsSignatureLines_isRefused(@ForAll("statements") OwnerSeal.Statement s) {
        assertThatThrownBy(() -> OwnerSeal.parse(s.text())).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> OwnerSeal.parse(new OwnerSeal(s.text(), new byte[32], new byte[64]).text().replace("signature 00", "signature 0")))
                .isInstanceOf(IntegrityException.class);
    }
}
