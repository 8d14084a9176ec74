package org.memoryvault.crypto;

import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/** The passphrase backend passes the slot-backend conformance kit. */
class Argon2idSlotBackendConformanceTest extends SlotBackendContract {
    @Override protected SlotBackend newBackend() { return new Argon2idSlotBackend(Libsodium.sharedBinding()); }

    @Override protected SlotSecret secret() { return SlotSecret.passphrase("correct horse battery staple".toCharArray()); }

    @Override protected java.util.Optional<SlotSecret> wrongSecret() {
        return java.util.Optional.of(SlotSecret.passphrase("correct horse battery stapler".toCharArray()));
    }
}
