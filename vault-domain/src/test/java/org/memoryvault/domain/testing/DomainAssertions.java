package org.memoryvault.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SealedContent;

/**
 * Field-by-field comparisons for domain values that hold arrays ({@link SealedContent},
 * {@link KeySlot}) and so have identity equality on purpose.
 */
public final class DomainAssertions {
    private DomainAssertions() {}

    public static void assertSameMemory(Memory actual, Memory expected) {
        assertThat(actual.id()).as("id").isEqualTo(expected.id());
        assertThat(actual.createdAt()).as("createdAt").isEqualTo(expected.createdAt());
        assertThat(actual.createdBy()).as("createdBy").isEqualTo(expected.createdBy());
        assertThat(actual.classification()).as("classification").isEqualTo(expected.classification());
        assertThat(actual.profile()).as("profile").isEqualTo(expected.profile());
        assertThat(actual.keyVersion()).as("keyVersion").isEqualTo(expected.keyVersion());
        assertThat(actual.policy()).as("policy").isEqualTo(expected.policy());
        assertThat(actual.metadata()).as("metadata").isEqualTo(expected.metadata());
        assertThat(actual.intentRefs()).as("intentRefs").containsExactlyElementsOf(expected.intentRefs());
        assertThat(actual.commitment()).as("commitment").isEqualTo(expected.commitment());
        assertSameSealed(actual.sealed(), expected.sealed());
        assertThat(actual.tombstone()).as("tombstone").isEqualTo(expected.tombstone());
        assertThat(actual.lastRecalledAt()).as("lastRecalledAt").isEqualTo(expected.lastRecalledAt());
    }

    public static void assertSameSealed(Optional<SealedContent> actual, Optional<SealedContent> expected) {
        assertThat(actual.isPresent()).as("sealed content present").isEqualTo(expected.isPresent());
        if (actual.isPresent() && expected.isPresent()) {
            assertThat(actual.get().nonce()).as("nonce").isEqualTo(expected.get().nonce());
            assertThat(actual.get().ciphertext()).as("ciphertext").isEqualTo(expected.get().ciphertext());
        }
    }

    public static void assertSameSlot(KeySlot actual, KeySlot expected) {
        assertThat(actual.slotId()).as("slotId").isEqualTo(expected.slotId());
        assertThat(actual.type()).as("type").isEqualTo(expected.type());
        assertThat(actual.label()).as("label").isEqualTo(expected.label());
        assertThat(actual.kdf()).as("kdf").isEqualTo(expected.kdf());
        assertThat(actual.salt()).as("salt").isEqualTo(expected.salt());
        assertThat(actual.nonce()).as("nonce").isEqualTo(expected.nonce());
        assertThat(actual.wrappedKey()).as("wrappedKey").isEqualTo(expected.wrappedKey());
        assertThat(actual.createdAt()).as("createdAt").isEqualTo(expected.createdAt());
    }

    /** Same profile fields and the same slots (compared by slot id, in any order). */
    public static void assertSameProfile(Profile actual, Profile expected) {
        assertThat(actual.id()).as("id").isEqualTo(expected.id());
        assertThat(actual.createdAt()).as("createdAt").isEqualTo(expected.createdAt());
        assertThat(actual.keyVersion()).as("keyVersion").isEqualTo(expected.keyVersion());
        List<Integer> ids = actual.slots().stream().map(KeySlot::slotId).sorted().toList();
        assertThat(ids).as("slot ids").containsExactlyElementsOf(expected.slots().stream().map(KeySlot::slotId).sorted().toList());
        for (KeySlot e : expected.slots()) assertSameSlot(actual.slot(e.slotId()).orElseThrow(), e);
    }
}
