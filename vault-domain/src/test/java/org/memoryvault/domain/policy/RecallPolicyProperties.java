package org.memoryvault.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Principal;
import org.memoryvault.domain.port.ApprovalGate;
import org.memoryvault.domain.port.BoundaryGuard;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.testing.DomainArbitraries;
import org.memoryvault.domain.testing.MemoryTestData;

/**
 * The recall gates of ARCHITECTURE §3 (contract order): for any combination of facts, the outcome
 * is decided by the first gate that fails, and no fact of a later gate is ever asked for.
 */
class RecallPolicyProperties {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration COOLDOWN = Duration.ofHours(1);

    enum ApprovalAnswer { APPROVED, DENIED, PENDING }

    /** One combination of the facts every gate looks at. */
    record World(boolean lockdown, boolean missing, boolean tombstoned, boolean expired, Classification level,
                 Classification clearance, boolean boundaryRefuses, ApprovalAnswer approval, boolean cooldownActive,
                 boolean tokenMissing) {

        Optional<Memory> memory() {
            if (missing) return Optional.empty();
            MemoryTestData.Builder b = MemoryTestData.aMemory().withClassification(level)
                    .withCreatedAt(expired ? NOW.minus(TTL).minusSeconds(1) : NOW.minusSeconds(60))
                    .withCooldown(COOLDOWN);
            if (cooldownActive) b.withLastRecalledAt(NOW.minus(COOLDOWN).plusMillis(1));
            else b.withLastRecalledAt(NOW.minus(COOLDOWN));
            if (tombstoned) b.tombstoned();
            return Optional.of(b.build());
        }

        Principal requester() { return new Principal("requester", clearance); }

        /** The gate that decides, with its code, by the contract table; empty when everything passes. */
        Optional<Outcome> expected() {
            List<Outcome> failing = new ArrayList<>();
            if (lockdown) failing.add(new Outcome(Gate.LOCKDOWN, ErrorCode.ACCESS_LOCKDOWN));
            if (missing) failing.add(new Outcome(Gate.EXISTENCE, ErrorCode.NOT_FOUND_MEMORY));
            if (tombstoned) failing.add(new Outcome(Gate.EXISTENCE, ErrorCode.ACCESS_TOMBSTONED));
            if (expired && level == Classification.EPHEMERAL) failing.add(new Outcome(Gate.EXISTENCE, ErrorCode.ACCESS_EXPIRED));
            if (clearance.level() < level.level()) failing.add(new Outcome(Gate.CLEARANCE, ErrorCode.ACCESS_CLEARANCE));
            if (boundaryRefuses) failing.add(new Outcome(Gate.BOUNDARY, ErrorCode.ACCESS_BOUNDARY));
            if (level.level() >= 3 && approval == ApprovalAnswer.DENIED) failing.add(new Outcome(Gate.APPROVAL, ErrorCode.ACCESS_APPROVAL));
            if (level.level() >= 3 && approval == ApprovalAnswer.PENDING) failing.add(new Outcome(Gate.APPROVAL, ErrorCode.APPROVAL_PENDING));
            if (cooldownActive) failing.add(new Outcome(Gate.COOLDOWN, ErrorCode.ACCESS_COOLDOWN));
            if (level.level() == 5 && tokenMissing) failing.add(new Outcome(Gate.PRESENCE, ErrorCode.ACCESS_TOKEN));
            return failing.stream().findFirst();
        }
    }

    record Outcome(Gate gate, ErrorCode code) {}

    private static final List<String> OUTCOMES = List.of("ACCESS_LOCKDOWN", "NOT_FOUND_MEMORY", "ACCESS_TOMBSTONED", "ACCESS_EXPIRED",
            "ACCESS_CLEARANCE", "ACCESS_BOUNDARY", "ACCESS_APPROVAL", "APPROVAL_PENDING", "ACCESS_COOLDOWN", "ACCESS_TOKEN", "GRANTED");

    /** A {@link RecallFacts} that answers from a {@link World} and records which facts were asked for. */
    static final class RecordingFacts implements RecallFacts {
        private final World world;
        final List<Gate> asked = new ArrayList<>();

        RecordingFacts(World world) { this.world = world; }

        @Override public boolean lockdownActive() {
            asked.add(Gate.LOCKDOWN);
            return world.lockdown();
        }

        @Override public BoundaryGuard.Decision boundary(Memory memory) {
            asked.add(Gate.BOUNDARY);
            return world.boundaryRefuses() ? BoundaryGuard.Decision.refuse("network up") : BoundaryGuard.Decision.permit("offline");
        }

        @Override public ApprovalGate.Decision approval(Memory memory) {
            asked.add(Gate.APPROVAL);
            switch (world.approval()) {
                case APPROVED: return new ApprovalGate.Approved("alice");
                case DENIED: return new ApprovalGate.Denied("not now");
                default: return new ApprovalGate.Pending("appr-1", NOW.plusSeconds(300));
            }
        }

        @Override public PresenceVerifier.Decision presence(Memory memory) {
            asked.add(Gate.PRESENCE);
            return new PresenceVerifier.Decision(!world.tokenMissing(), world.tokenMissing() ? "no token" : "touched");
        }
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<Boolean> rare = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false));  // so late gates get reached
        Arbitrary<Classification> clearance = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Classification.BLACK)), Tuple.of(2, DomainArbitraries.classifications()));
        Arbitrary<ApprovalAnswer> approval = Arbitraries.frequency(
                Tuple.of(3, ApprovalAnswer.APPROVED), Tuple.of(1, ApprovalAnswer.DENIED), Tuple.of(1, ApprovalAnswer.PENDING));
        return Combinators.combine(
                Combinators.combine(rare, rare, rare, rare).as(List::of),
                DomainArbitraries.classifications(), clearance,
                Combinators.combine(rare, approval, rare, Arbitraries.of(true, false)).as(List::<Object>of))
                .as((early, level, who, late) -> new World(early.get(0), early.get(1), early.get(2), early.get(3), level,
                        who, (Boolean) late.get(0), (ApprovalAnswer) late.get(1), (Boolean) late.get(2), (Boolean) late.get(3)));
    }

    private static GateDecision evaluate(World w, RecordingFacts facts) {
        return RecallPolicy.evaluate(w.memory(), w.requester(), facts, NOW, TTL);
    }

    @Property(tries = 3000)
    void recall_isDecidedByTheFirstFailingGateInContractOrder(@ForAll("worlds") World w) {
        GateDecision decision = evaluate(w, new RecordingFacts(w));

        Optional<Outcome> expected = w.expected();
        Statistics.collect(expected.map(o -> o.code().name()).orElse("GRANTED"));
        Statistics.coverage(c -> {                                     // every outcome is reached, so no gate goes untested
            for (String label : OUTCOMES) c.check(label).count((Integer n) -> n > 0);
        });
        if (expected.isEmpty()) {
            assertThat(decision).isInstanceOf(GateDecision.Granted.class);
        } else if (expected.get().code() == ErrorCode.APPROVAL_PENDING) {
            assertThat(decision).isInstanceOf(GateDecision.Pending.class);
        } else {
            assertThat(decision).isInstanceOf(GateDecision.Refused.class);
            GateDecision.Refused r = (GateDecision.Refused) decision;
            assertThat(new Outcome(r.gate(), r.code())).isEqualTo(expected.get());
            assertThat(r.reason()).isNotBlank();
        }
    }

    @Property(tries = 3000)
    void factsOfLaterGates_areNeverAskedFor(@ForAll("worlds") World w) {
        RecordingFacts facts = new RecordingFacts(w);
        evaluate(w, facts);

        Gate decisive = w.expected().map(Outcome::gate).orElse(Gate.DECRYPTION);  // granted: every gate was passed
        List<Gate> expectedAsked = new ArrayList<>(List.of(Gate.LOCKDOWN));
        if (decisive.compareTo(Gate.BOUNDARY) >= 0) expectedAsked.add(Gate.BOUNDARY);
        if (decisive.compareTo(Gate.APPROVAL) >= 0 && w.level().requirements().humanApproval()) expectedAsked.add(Gate.APPROVAL);
        if (decisive.compareTo(Gate.PRESENCE) >= 0 && w.level().requirements().hardwareToken()) expectedAsked.add(Gate.PRESENCE);
        assertThat(facts.asked).as("facts asked, in order").containsExactlyElementsOf(expectedAsked);
    }

    @Property(tries = 300)
    void approval_isAskedForExactlyFromLevelThree(@ForAll("worlds") World w) {
        World passing = new World(false, false, false, false, w.level(), Classification.BLACK, false, ApprovalAnswer.APPROVED,
                false, false);
        RecordingFacts facts = new RecordingFacts(passing);

        GateDecision decision = evaluate(passing, facts);

        assertThat(facts.asked.contains(Gate.APPROVAL)).isEqualTo(w.level().level() >= 3);
        assertThat(decision).isInstanceOf(GateDecision.Granted.class);
        assertThat(((GateDecision.Granted) decision).approvedBy()).isEqualTo(w.level().level() >= 3 ? "alice" : "");
    }

    @Property(tries = 300)
    void presence_isAskedForOnlyAtLevelFive(@ForAll("worlds") World w) {
        World noToken = new World(false, false, false, false, w.level(), Classification.BLACK, false, ApprovalAnswer.APPROVED,
                false, true);
        RecordingFacts facts = new RecordingFacts(noToken);

        GateDecision decision = evaluate(noToken, facts);

        assertThat(facts.asked.contains(Gate.PRESENCE)).isEqualTo(w.level() == Classification.BLACK);
        if (w.level() == Classification.BLACK) {
            assertThat(decision).isInstanceOfSatisfying(GateDecision.Refused.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.ACCESS_TOKEN));
        } else {
            assertThat(decision).isInstanceOf(GateDecision.Granted.class);
        }
    }

    @Property(tries = 300)
    void clearance_refusesExactlyWhenBelowTheMemoryLevel(@ForAll("worlds") World w) {
        World onlyClearance = new World(false, false, false, false, w.level(), w.clearance(), false, ApprovalAnswer.APPROVED,
                false, false);

        GateDecision decision = evaluate(onlyClearance, new RecordingFacts(onlyClearance));

        boolean refused = decision instanceof GateDecision.Refused r && r.code() == ErrorCode.ACCESS_CLEARANCE;
        assertThat(refused).isEqualTo(w.clearance().level() < w.level().level());
        assertThat(refused || decision instanceof GateDecision.Granted).isTrue();
    }

    @Property(tries = 300)
    void expiry_appliesOnlyToLevelZero(@ForAll("worlds") World w) {
        World old = new World(false, false, false, true, w.level(), Classification.BLACK, false, ApprovalAnswer.APPROVED, false, false);

        GateDecision decision = evaluate(old, new RecordingFacts(old));

        boolean expired = decision instanceof GateDecision.Refused r && r.code() == ErrorCode.ACCESS_EXPIRED;
        assertThat(expired).isEqualTo(w.level() == Classification.EPHEMERAL);
    }
}
