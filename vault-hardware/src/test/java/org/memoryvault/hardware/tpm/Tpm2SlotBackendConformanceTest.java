package org.memoryvault.hardware.tpm;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.memoryvault.crypto.SlotBackendContract;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.SlotBackend;

/** The TPM slot backend passes the slot conformance kit, on two software TPMs (swtpm): its own, and another machine's. */
@org.junit.jupiter.api.Tag("tpm")
class Tpm2SlotBackendConformanceTest extends SlotBackendContract {
    private static final SwtpmPair TPMS = new SwtpmPair("tpm-kit", t -> { });

    @AfterAll
    static void stop() { TPMS.stop(); }

    @Override protected SlotBackend newBackend() {
        return new Tpm2SlotBackend(TPMS.mine().device(), new int[] {7}, new SecureRandom());
    }

    /** Nothing is typed: the TPM is the secret. */
    @Override protected SlotSecret secret() { return SlotSecret.of(Tpm2SlotBackend.TYPE, new byte[0]); }

    @Override protected Optional<SlotSecret> wrongSecret() { return Optional.empty(); }

    @Override protected Optional<SlotBackend> backendOnAnotherDevice() {
        return Optional.of(new Tpm2SlotBackend(TPMS.other().device(), new int[] {7}, new SecureRandom()));
    }
}
