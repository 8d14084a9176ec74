package org.memoryvault.domain.usecase;

import java.util.Objects;
import org.memoryvault.domain.model.SlotSecret;

/**
 * A key slot to create: its label and the secret that will open it. The secret's type is the slot's type;
 * a passphrase must meet {@link org.memoryvault.domain.policy.PassphrasePolicy}.
 * Security: the use case does not close {@code secret}; its creator does.
 */
public record NewSlot(String label, SlotSecret secret) {
    public NewSlot {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(secret, "secret");
        org.memoryvault.domain.policy.PassphrasePolicy.requireAcceptable(secret);
    }
}
