package org.memoryvault.hardware.yubikey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.memoryvault.crypto.SlotBackendContract;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/** The YubiKey slot backend passes the conformance kit, through the frame protocol, on simulated keys: its own and another. */
class YubiKeySlotBackendConformanceTest extends SlotBackendContract {
    private final SimulatedYubiKey mine = new SimulatedYubiKey().program(2, "my yubikey's secret!".getBytes(StandardCharsets.US_ASCII), false);
    private final SimulatedYubiKey other = new SimulatedYubiKey().program(2, "another key secret!!".getBytes(StandardCharsets.US_ASCII), false);

    @Override protected SlotBackend newBackend() { return new YubiKeySlotBackend(() -> mine, new SecureRandom(), 2, Duration.ofSeconds(1)); }

    @Override protected SlotSecret secret() { return SlotSecret.of(YubiKeySlotBackend.TYPE, new byte[0]); }

    @Override protected Optional<SlotSecret> wrongSecret() { return Optional.empty(); }

    @Override protected Optional<SlotBackend> backendOnAnotherDevice() {
        return Optional.of(new YubiKeySlotBackend(() -> other, new SecureRandom(), 2, Duration.ofSeconds(1)));
    }
}
