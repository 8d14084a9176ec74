package org.memoryvault.domain.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.policy.AnomalyRule;
import org.memoryvault.domain.testing.InMemoryVault;

/** A wrong secret, through any inbound adapter, is audited without the secret and counts toward anomaly lockdown. */
class RecordWrongSecretTest {
    @Test
    void eachWrongSecret_isAnAuditEntry_andEnoughOfThemLockTheVault() {
        InMemoryVault vault = InMemoryVault.create();
        vault.createDefaultProfile();
        RecordWrongSecret record = new RecordWrongSecret(vault.audit(), vault.tx(),
                vault.anomalyWatch(new AnomalyRule(true, 3, 100, Duration.ofMinutes(10))), vault.clock());

        record.execute("lockdown exit", Optional.of("default"));
        AuditEvent e = vault.audit().last().orElseThrow();
        assertThat(e.type()).isEqualTo(AuditEvent.SECRET_REFUSED);
        assertThat(e.fields()).containsEntry("command", "lockdown exit").containsEntry("profile", "default")
                .containsEntry("code", "ACCESS_WRONG_SECRET").containsEntry("requester", "secret:default");
        assertThat(vault.state().lockdown().active()).isFalse();

        record.execute("tombstone", Optional.of("default"));
        record.execute("config set", Optional.of("default"));
        assertThat(vault.state().lockdown().active()).as("three wrong secrets for one profile in the window").isTrue();
        assertThat(vault.state().lockdown().by()).contains("anomaly-detector");
    }

    @Test
    void withoutAKnownProfile_theRefusalIsCountedUnderUnknown() {
        InMemoryVault vault = InMemoryVault.create();
        RecordWrongSecret record = new RecordWrongSecret(vault.audit(), vault.tx(),
                vault.anomalyWatch(new AnomalyRule(true, 3, 100, Duration.ofMinutes(10))), vault.clock());
        record.execute("recall", Optional.empty());
        assertThat(vault.audit().last().orElseThrow().fields()).containsEntry("profile", "unknown")
                .containsEntry("requester", "secret:unknown");
    }
}
