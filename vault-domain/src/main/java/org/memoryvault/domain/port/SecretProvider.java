package org.memoryvault.domain.port;

import java.util.Optional;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Profile;
import org.memoryvault.domain.model.SlotSecret;

/**
 * Supplies the secret for a key slot when a profile must be unlocked, in the form the slot's
 * backend takes ({@code input}): a key file the slot names, a passphrase file or a prompt on the
 * terminal, or nothing typed for a device. Empty when it has none for that slot.
 *
 * <p>Security: the caller closes the returned secret.
 */
public interface SecretProvider {
    Optional<SlotSecret> secretFor(Profile profile, KeySlot slot, SlotBackend.SecretInput input);

    /**
     * Whether a passphrase was given without asking anyone (a passphrase file): then unlocking tries
     * passphrase slots first, so the caller gets the owner key (and its checks) rather than a key
     * file's tier key.
     */
    default boolean hasPassphraseAtHand() { return false; }

    /**
     * Told just before a slow step with a secret this provider supplied (a key derivation of more
     * than about 200 ms), so a person waiting at a terminal knows what is happening; the CLI prints
     * one line on stderr when it is a terminal. {@code what} holds no secret.
     */
    default void beforeSlowStep(String what) {}

    /**
     * A one-time code (TOTP) typed for a presence token now, for {@code purpose} (no secret in it;
     * the CLI shows it in its prompt): from a code file, or typed at the terminal. Empty when there
     * is none at hand. Never from a command line.
     */
    default Optional<String> oneTimeCode(String purpose) { return Optional.empty(); }

    /**
     * A security key's PIN (FIDO2 clientPIN), for {@code purpose} (no secret in it): typed at the
     * terminal or read from the file the environment names; empty if neither is at hand. The caller
     * wipes the array.
     */
    default Optional<char[]> devicePin(String purpose) { return Optional.empty(); }
}
