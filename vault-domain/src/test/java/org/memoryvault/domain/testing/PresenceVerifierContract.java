package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.PresenceVerifier;

/**
 * The conformance kit every {@link PresenceVerifier} passes (docs/HARDWARE.md): fail-closed when
 * no token is present (a refusal with a reason, never an exception the gate would have to guess
 * about), and, where the test can present a token, a yes for it. Extend it in the verifier's module.
 */
public abstract class PresenceVerifierContract {
    /** The verifier with no token present (unplugged, or nothing enrolled). */
    protected abstract PresenceVerifier verifierWithNoToken();

    /** The owner key the verifier gets with each request (empty by default: then it must refuse, or need none). */
    protected Optional<org.memoryvault.domain.model.DataKey> ownerKey() { return Optional.empty(); }

    /** The verifier with its token present and touched, where a test can simulate one. */
    protected Optional<PresenceVerifier> verifierWithToken() { return Optional.empty(); }

    @Property(tries = 30)
    void withNoToken_everyLevel5MemoryIsRefused_withAReason(@ForAll("memoryIds") MemoryId id, @ForAll("profiles") ProfileId profile) {
        Memory m = MemoryTestData.aMemory().withId(id).withProfile(profile).withClassification(Classification.BLACK).build();
        PresenceVerifier.Decision d = verifierWithNoToken().verify(new PresenceVerifier.Request("recall of memory " + m.id(), ownerKey()));
        assertThat(d.present()).isFalse();
        assertThat(d.reason()).isNotBlank().doesNotContain("\n").hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void withItsToken_aLevel5MemoryPasses() {
        Optional<PresenceVerifier> v = verifierWithToken();
        if (v.isEmpty()) return;                     // nothing can be presented here
        Memory m = MemoryTestData.aMemory().withClassification(Classification.BLACK).build();
        assertThat(v.get().verify(new PresenceVerifier.Request("recall of memory " + m.id(), ownerKey())).present()).isTrue();
    }

    @net.jqwik.api.Provide net.jqwik.api.Arbitrary<MemoryId> memoryIds() { return DomainArbitraries.memoryIds(); }

    @net.jqwik.api.Provide net.jqwik.api.Arbitrary<ProfileId> profiles() { return DomainArbitraries.profileIds(); }
}
