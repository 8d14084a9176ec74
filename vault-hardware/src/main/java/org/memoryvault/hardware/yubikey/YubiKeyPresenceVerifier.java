package org.memoryvault.hardware.yubikey;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.Transactions;
import org.memoryvault.hardware.totp.Totp;

/**
 * The presence gate with a YubiKey's HMAC-SHA1 challenge-response (docs/HARDWARE.md §7): a fresh
 * random challenge goes to the enrolled configuration slot, and the answer must be the HMAC-SHA1 of
 * it under the slot's secret, which the owner gave at enrolment and which is kept sealed under the
 * owner's key (so only the owner's own request is checked). Each challenge is new, so an answer
 * seen once is worth nothing later. The use is audited before the gate says yes.
 *
 * <p>Security: like TOTP, the secret is in the vault (sealed): whoever holds the owner's key could
 * compute answers, so the gate is policy only; what it adds over TOTP is that the answer comes from
 * the device in the same second (and a touch, where the slot was programmed to want one).
 */
public final class YubiKeyPresenceVerifier {
    public static final String KIND = "yubikey";
    private static final Duration TOUCH_TIMEOUT = Duration.ofSeconds(15);

    private final Sealer sealer;
    private final SecretProvider secrets;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final Supplier<FeatureReports> devices;
    private final SecureRandom random;
    private final Duration touchTimeout;

    @jakarta.inject.Inject
    public YubiKeyPresenceVerifier(Sealer sealer, SecretProvider secrets, AuditLog audit, Transactions tx, Clock clock, SecureRandom random) {
        this(sealer, secrets, audit, tx, clock, HidYubiKeys::open, random, TOUCH_TIMEOUT);
    }

    public YubiKeyPresenceVerifier(Sealer sealer, SecretProvider secrets, AuditLog audit, Transactions tx, Clock clock,
                                   Supplier<FeatureReports> devices, SecureRandom random, Duration touchTimeout) {
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.random = Objects.requireNonNull(random, "random");
        this.touchTimeout = Objects.requireNonNull(touchTimeout, "touchTimeout");
    }

    /** A token's clear parameters: the configuration slot, {@code 1} or {@code 2}. */
    public static String parameters(int slot) {
        if (slot != 1 && slot != 2) throw new IllegalArgumentException("a YubiKey configuration slot is 1 or 2");
        return Integer.toString(slot);
    }

    /** Whether a YubiKey is plugged in now. */
    public boolean devicePresent() {
        try (FeatureReports d = devices.get()) {
            return true;
        } catch (AccessRefusedException e) {
            return false;
        }
    }

    /** Checks at enrolment that the plugged-in key's {@code slot} answers as {@code secret} says (a touch, if the slot wants one). */
    public boolean answersWith(int slot, byte[] secret) {
        return challengeOnce(slot, secret);
    }

    /** Asks the plugged-in YubiKey to answer a fresh challenge as one of {@code asked} (YubiKey tokens) would. */
    public PresenceVerifier.Decision verify(PresenceVerifier.Request request, List<PresenceToken> asked) {
        if (request.ownerKey().isEmpty()) {
            return no("a YubiKey token's secret opens with the owner's key only, so only the owner's own request can pass the presence gate");
        }
        boolean changed = false;
        for (PresenceToken t : asked) {
            byte[] secret;
            int slot;
            try {
                slot = Integer.parseInt(t.parameters());
                parameters(slot);
                secret = sealer.openOwnerSecret(request.ownerKey().get(), t.associatedData(), t.sealedSecret());
            } catch (IllegalArgumentException | IntegrityException e) {
                changed = true;                              // a row not sealed by this owner: never asked for
                continue;
            }
            boolean ok;
            try {
                secrets.beforeSlowStep("touch your YubiKey if it blinks (" + request.purpose() + ")");
                ok = challengeOnce(slot, secret);
            } catch (AccessRefusedException e) {
                return no(e.getMessage());
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            if (ok) {
                tx.inTransaction(() -> audit.append(AuditEvent.of(AuditEvent.TOKEN_USE, clock.instant()).with("token", t.name())
                        .with("kind", KIND).with("purpose", request.purpose())));
                return new PresenceVerifier.Decision(true, "YubiKey token " + t.name());
            }
        }
        return no(changed ? "no enrolled YubiKey token's row opens with the owner's key (it was changed outside the vault)"
                : "the YubiKey plugged in is not the enrolled one (its answer did not match)");
    }

    /**
     * One fresh challenge, checked. A YubiKey slot programmed for variable-length challenges (ykman's
     * default) ignores trailing bytes equal to the last one, so both readings are accepted: either
     * needs the secret.
     */
    private boolean challengeOnce(int slot, byte[] secret) {
        byte[] challenge = new byte[YubiKeyFrames.CHALLENGE_BYTES];
        random.nextBytes(challenge);
        byte[] response;
        try (FeatureReports device = devices.get()) {
            response = new YubiKeyFrames(device, touchTimeout).challengeResponse(slot, challenge);
        }
        int n = challenge.length;
        while (n > 1 && challenge[n - 2] == challenge[challenge.length - 1]) n--;
        byte[] full = Totp.hmac(Totp.Algorithm.SHA1, secret, challenge);
        byte[] variable = Totp.hmac(Totp.Algorithm.SHA1, secret, Arrays.copyOf(challenge, n - 1));
        try {
            return MessageDigest.isEqual(full, response) || MessageDigest.isEqual(variable, response);
        } finally {
            Arrays.fill(response, (byte) 0);
            Arrays.fill(full, (byte) 0);
            Arrays.fill(variable, (byte) 0);
        }
    }

    private static PresenceVerifier.Decision no(String reason) { return new PresenceVerifier.Decision(false, reason); }
}
