package org.memoryvault.hardware.yubikey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;
import org.memoryvault.domain.port.SlotBackend;
import org.memoryvault.hardware.totp.Totp;

/**
 * A key slot opened by a YubiKey's HMAC-SHA1 challenge-response (docs/HARDWARE.md §7): enrolment
 * sends a random 64-byte challenge to the key's configuration slot (2 by default) and stores it; the
 * KEK is HMAC-SHA256(key = the 20-byte response, "memory-vault/yubikey-kek"). The HMAC secret never
 * leaves the YubiKey, so without the key (and a touch, if its slot asks for one) the slot does not
 * open. Nothing is typed.
 *
 * <p>Device: the first YubiKey found over USB HID; configuration slot {@code $MEMORY_VAULT_YUBIKEY_SLOT}
 * (1 or 2, default 2) for new slots, stored with each slot.
 */
public final class YubiKeySlotBackend implements SlotBackend {
    public static final SlotType TYPE = SlotType.of("yubikey");
    public static final String ENV_SLOT = "MEMORY_VAULT_YUBIKEY_SLOT";
    private static final byte FORMAT = 1;
    private static final Duration TOUCH_TIMEOUT = Duration.ofSeconds(15);

    private final Supplier<FeatureReports> devices;
    private final SecureRandom random;
    private final int configurationSlot;
    private final Duration touchTimeout;

    @jakarta.inject.Inject
    public YubiKeySlotBackend(SecureRandom random) {
        this(HidYubiKeys::open, random, Optional.ofNullable(System.getenv(ENV_SLOT)).filter(s -> !s.isBlank()).map(String::strip)
                .map(s -> s.equals("1") ? 1 : s.equals("2") ? 2 : -1).orElse(2), TOUCH_TIMEOUT);
    }

    public YubiKeySlotBackend(Supplier<FeatureReports> devices, SecureRandom random, int configurationSlot, Duration touchTimeout) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.random = Objects.requireNonNull(random, "random");
        this.configurationSlot = configurationSlot;
        this.touchTimeout = Objects.requireNonNull(touchTimeout, "touchTimeout");
    }

    @Override public SlotType type() { return TYPE; }

    @Override public SecretInput input() { return SecretInput.NONE; }

    @Override
    public Enrolment enrol(SlotSecret secret, KdfParameters kdf) {
        if (configurationSlot != 1 && configurationSlot != 2) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "$" + ENV_SLOT + " must be 1 or 2");
        }
        byte[] challenge = new byte[YubiKeyFrames.CHALLENGE_BYTES];
        random.nextBytes(challenge);
        byte[] params = new byte[2 + challenge.length];
        params[0] = FORMAT;
        params[1] = (byte) configurationSlot;
        System.arraycopy(challenge, 0, params, 2, challenge.length);
        return new Enrolment(kek(configurationSlot, challenge), params, Optional.empty());
    }

    @Override
    public KeyEncryptionKey open(KeySlot slot, SlotSecret secret) {
        byte[] params = slot.salt();
        if (params.length != 2 + YubiKeyFrames.CHALLENGE_BYTES || params[0] != FORMAT || (params[1] != 1 && params[1] != 2)) {
            // refused like a wrong device, so the profile's other slots are still tried (the owner's seal flags the edit)
            throw new AccessRefusedException(ErrorCode.ACCESS_WRONG_SECRET, "the yubikey slot's parameters are malformed");
        }
        return kek(params[1], Arrays.copyOfRange(params, 2, params.length));
    }

    private KeyEncryptionKey kek(int configurationSlot, byte[] challenge) {
        byte[] response;
        try (FeatureReports device = devices.get()) {
            response = new YubiKeyFrames(device, touchTimeout).challengeResponse(configurationSlot, challenge);
        }
        try {
            return KeyEncryptionKey.adopt(Totp.hmac(Totp.Algorithm.SHA256, response,
                    "memory-vault/yubikey-kek".getBytes(StandardCharsets.US_ASCII)));
        } finally {
            Arrays.fill(response, (byte) 0);
        }
    }
}
