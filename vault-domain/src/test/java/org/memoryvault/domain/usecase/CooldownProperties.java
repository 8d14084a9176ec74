package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.testing.InMemoryVault;

/**
 * Cooldown through the real use case: any interleaving of clock moves and recall attempts on one
 * memory grants a recall exactly when the cooldown since the last granted recall has passed.
 */
class CooldownProperties {

    /** One vault with one memory, and the recalls granted so far. */
    static final class Run {
        final InMemoryVault vault = InMemoryVault.create();
        final Duration cooldown;
        final MemoryId id;
        final List<Instant> granted = new ArrayList<>();

        Run(Duration cooldown) {
            this.cooldown = cooldown;
            vault.createDefaultProfile();
            id = vault.store("the combination is 12-34-56", Classification.WORKING, new AccessPolicy(new Cooldown(cooldown)),
                    Metadata.EMPTY);
        }

        void recall() {
            Instant now = vault.clock().instant();
            Optional<Instant> last = granted.isEmpty() ? Optional.empty() : Optional.of(granted.get(granted.size() - 1));
            boolean insideWindow = last.isPresent() && now.isBefore(last.get().plus(cooldown));
            if (insideWindow) {
                AccessRefusedException e = catchThrowableOfType(AccessRefusedException.class,
                        () -> vault.recall(id, InMemoryVault.OWNER));
                assertThat(e).as("recall at %s inside the window after %s", now, last.get()).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_COOLDOWN);
                assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("code", "ACCESS_COOLDOWN");
            } else {
                assertThat(vault.recall(id, InMemoryVault.OWNER)).isEqualTo("the combination is 12-34-56");
                granted.add(now);
            }
        }

        void advance(Duration d) { vault.clock().advance(d); }
    }

    @Provide
    Arbitrary<ActionChain<Run>> recallSequences() {
        return Arbitraries.longs().between(1, 3_600_000L).map(Duration::ofMillis).flatMap(cooldown -> {
            Arbitrary<Duration> steps = Arbitraries.oneOf(
                    Arbitraries.just(Duration.ZERO),
                    Arbitraries.just(cooldown),
                    Arbitraries.just(cooldown.minusMillis(1)),
                    Arbitraries.longs().between(0, 2 * cooldown.toMillis()).map(Duration::ofMillis));
            Action.Independent<Run> advance = () -> steps.map(d -> Transformer.mutate("advance " + d, r -> r.advance(d)));
            Action.Independent<Run> recall = () -> Arbitraries.just(Transformer.mutate("recall", Run::recall));
            return ActionChain.startWith(() -> new Run(cooldown))
                    .withAction(2, advance)
                    .withAction(3, recall)
                    .withMaxTransformations(30);
        });
    }

    @Property(tries = 150)
    void cooldown_neverGrantsTwoRecallsInsideWindow(@ForAll("recallSequences") ActionChain<Run> chain) {
        Run finished = chain.withInvariant("granted recalls are at least one cooldown apart", r -> {
            for (int i = 1; i < r.granted.size(); i++) {
                assertThat(Duration.between(r.granted.get(i - 1), r.granted.get(i))).isGreaterThanOrEqualTo(r.cooldown);
            }
        }).run();

        assertThat(finished.vault.audit().eventsOfType(AuditEvent.RECALL_GRANTED)).hasSize(finished.granted.size());
        if (!finished.granted.isEmpty()) {
            assertThat(finished.vault.memories().find(finished.id).orElseThrow().lastRecalledAt())
                    .contains(finished.granted.get(finished.granted.size() - 1));
        }
    }
}
