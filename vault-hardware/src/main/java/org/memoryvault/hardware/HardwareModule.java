package org.memoryvault.hardware;

import dagger.Binds;
import dagger.Module;
import org.memoryvault.domain.port.PresenceVerifier;

/**
 * vault-hardware's bindings: the presence verifier of the level-5 gate (TOTP codes and FIDO2 security keys; with
 * none enrolled it refuses) and this module's slot backends (TPM 2.0 today), each contributed with
 * {@code @Binds @IntoSet} (docs/HARDWARE.md).
 */
@Module
public abstract class HardwareModule {
    private HardwareModule() {}

    @Binds abstract PresenceVerifier presenceVerifier(AnyTokenPresenceVerifier gate);

    @Binds abstract org.memoryvault.hardware.fido2.Fido2Devices fido2Devices(org.memoryvault.hardware.fido2.HidAuthenticators devices);

    @Binds @dagger.multibindings.IntoSet
    abstract org.memoryvault.domain.port.SlotBackend tpm2(org.memoryvault.hardware.tpm.Tpm2SlotBackend backend);

    @Binds @dagger.multibindings.IntoSet
    abstract org.memoryvault.domain.port.SlotBackend tpm2Pin(org.memoryvault.hardware.tpm.Tpm2PinSlotBackend backend);

    @Binds @dagger.multibindings.IntoSet
    abstract org.memoryvault.domain.port.SlotBackend fido2(org.memoryvault.hardware.fido2.Fido2SlotBackend backend);

    @Binds @dagger.multibindings.IntoSet
    abstract org.memoryvault.domain.port.SlotBackend yubikey(org.memoryvault.hardware.yubikey.YubiKeySlotBackend backend);
}
