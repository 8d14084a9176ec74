package org.memoryvault.hardware;

import dagger.Binds;
import dagger.Module;
import org.memoryvault.domain.port.PresenceVerifier;

/**
 * vault-hardware's bindings: the presence verifier of the level-5 gate (TOTP tokens today; with
 * none enrolled it refuses) and, as they are built, this module's slot backends, each
 * contributed with {@code @Binds @IntoSet abstract SlotBackend tpm2(Tpm2SlotBackend backend);}
 * (docs/HARDWARE.md).
 */
@Module
public abstract class HardwareModule {
    private HardwareModule() {}

    @Binds abstract PresenceVerifier presenceVerifier(org.memoryvault.hardware.totp.TotpPresenceVerifier verifier);
}
