package org.memoryvault.hardware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.memoryvault.crypto.SlotBackendContract;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/**
 * The simulated token backend passes the conformance kit: the worked example of
 * docs/HARDWARE.md, written in this module with no change to vault-domain or vault-crypto.
 */
class SimulatedTokenSlotBackendConformanceTest extends SlotBackendContract {
    private final Path device;
    private final Path otherDevice;

    SimulatedTokenSlotBackendConformanceTest() {
        try {
            Path dir = Files.createTempDirectory("sim-token");
            dir.toFile().deleteOnExit();
            device = SimulatedTokenSlotBackend.newDevice(dir.resolve("token"));
            otherDevice = SimulatedTokenSlotBackend.newDevice(dir.resolve("other-token"));
            device.toFile().deleteOnExit();
            otherDevice.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override protected SlotBackend newBackend() { return new SimulatedTokenSlotBackend(Optional.of(device)); }

    /** Nothing is typed for a token: the device is the secret. */
    @Override protected SlotSecret secret() { return SlotSecret.of(SimulatedTokenSlotBackend.TYPE, new byte[0]); }

    /** Nothing typed, so no wrong secret: what can be wrong is the device. */
    @Override protected Optional<SlotSecret> wrongSecret() { return Optional.empty(); }

    @Override protected Optional<SlotBackend> backendOnAnotherDevice() {
        return Optional.of(new SimulatedTokenSlotBackend(Optional.of(otherDevice)));
    }
}
