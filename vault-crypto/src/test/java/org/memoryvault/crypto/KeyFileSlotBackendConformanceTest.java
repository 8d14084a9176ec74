package org.memoryvault.crypto;

import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/** The key-file backend passes the slot-backend conformance kit. */
class KeyFileSlotBackendConformanceTest extends SlotBackendContract {
    private final byte[] file = new Libsodium(Libsodium.sharedBinding()).randomBytes(32);
    private final byte[] otherFile = new Libsodium(Libsodium.sharedBinding()).randomBytes(32);

    @Override protected SlotBackend newBackend() { return new KeyFileSlotBackend(); }

    @Override protected SlotSecret secret() { return SlotSecret.keyFile(file.clone()); }

    @Override protected java.util.Optional<SlotSecret> wrongSecret() { return java.util.Optional.of(SlotSecret.keyFile(otherFile.clone())); }
}
