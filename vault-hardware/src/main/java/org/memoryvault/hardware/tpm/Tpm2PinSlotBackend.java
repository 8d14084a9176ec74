package org.memoryvault.hardware.tpm;

import java.security.SecureRandom;
import java.util.Optional;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.SlotBackend;

/**
 * A TPM 2.0 key slot that also needs a PIN (docs/HARDWARE.md §6): the {@code tpm2} slot's sealed
 * KEK, with a policy of the PCR values and the object's auth value (PolicyPCR, then PolicyPassword),
 * the auth value being the PIN's hash. The TPM checks the PIN and counts wrong ones toward its
 * dictionary-attack lockout, so even a short PIN cannot be guessed at speed, and nothing stored lets
 * anyone test PINs offline. The PIN is asked at every unlock through the slot (terminal or
 * {@code $MEMORY_VAULT_PIN_FILE}).
 */
public final class Tpm2PinSlotBackend implements SlotBackend {
    public static final SlotType TYPE = SlotType.of("tpm2-pin");
    private final Tpm2SlotBackend core;

    @jakarta.inject.Inject
    public Tpm2PinSlotBackend(SecureRandom random, SecretProvider pins) {
        this.core = new Tpm2SlotBackend(Tpm2SlotBackend.configuredDevice(),
                Optional.ofNullable(System.getenv(Tpm2SlotBackend.ENV_PCRS)).filter(s -> !s.isBlank()).orElse(null), null, random, TYPE, pins);
    }

    public Tpm2PinSlotBackend(String device, int[] pcrs, SecureRandom random, SecretProvider pins) {
        this.core = new Tpm2SlotBackend(device, null, pcrs, random, TYPE, pins);
    }

    @Override public SlotType type() { return TYPE; }

    @Override public SecretInput input() { return SecretInput.NONE; }

    @Override public Enrolment enrol(SlotSecret secret, KdfParameters kdf) { return core.enrol(secret, kdf); }

    @Override public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) { return core.open(slot, secret); }
}
