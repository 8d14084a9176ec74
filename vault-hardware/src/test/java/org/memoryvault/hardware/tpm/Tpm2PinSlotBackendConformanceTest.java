package org.memoryvault.hardware.tpm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.memoryvault.crypto.SlotBackendContract;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/** The TPM slot backend with a PIN passes the slot conformance kit, on two software TPMs (swtpm): its own, and another machine's. */
@org.junit.jupiter.api.Tag("tpm")
class Tpm2PinSlotBackendConformanceTest extends SlotBackendContract {
    private static Swtpm tpm;
    private static Swtpm other;
    private static final Tpm2PinSlotBackendTest.Pins PINS = new Tpm2PinSlotBackendTest.Pins();

    static { PINS.pin = "471100"; }

    private static synchronized void start() {
        if (tpm != null) return;
        try {
            Path dir = Files.createTempDirectory("tpm-pin-kit");
            tpm = Swtpm.start(dir.resolve("mine"));
            other = Swtpm.start(dir.resolve("other"));
            for (Swtpm t : new Swtpm[] {tpm, other}) Tpm2PinSlotBackendTest.setLockoutPassword(t, new byte[] {1, 2, 3});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static synchronized void stop() {
        if (tpm != null) tpm.close();
        if (other != null) other.close();
        tpm = null;
        other = null;
    }

    @Override protected SlotBackend newBackend() {
        start();
        return new Tpm2PinSlotBackend(tpm.device(), new int[] {7}, new SecureRandom(), PINS);
    }

    /** Nothing is typed: the TPM is the secret. */
    @Override protected SlotSecret secret() { return SlotSecret.of(Tpm2PinSlotBackend.TYPE, new byte[0]); }

    @Override protected Optional<SlotSecret> wrongSecret() { return Optional.empty(); }

    @Override protected Optional<SlotBackend> backendOnAnotherDevice() {
        start();
        return Optional.of(new Tpm2PinSlotBackend(other.device(), new int[] {7}, new SecureRandom(), PINS));
    }
}
