package org.memoryvault.crypto;

import java.nio.charset.StandardCharsets;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SlotBackend;

/** The recovery-code backend (Argon2id under its own type name) passes the slot-backend conformance kit. */
class RecoveryCodeSlotBackendConformanceTest extends SlotBackendContract {
    @Override protected SlotBackend newBackend() { return new Argon2idSlotBackend(Libsodium.sharedBinding(), SlotType.RECOVERY_CODE); }

    @Override protected SlotSecret secret() { return code("lw23-kaby-ueg6-jbdx-q2nf-pdkj-gvzj-aaha"); }

    @Override protected java.util.Optional<SlotSecret> wrongSecret() { return java.util.Optional.of(code("lw23-kaby-ueg6-jbdx-q2nf-pdkj-gvzj-aahb")); }

    private static SlotSecret code(String code) { return SlotSecret.of(SlotType.RECOVERY_CODE, code.getBytes(StandardCharsets.UTF_8)); }
}
