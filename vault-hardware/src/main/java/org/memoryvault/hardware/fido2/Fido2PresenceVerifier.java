package org.memoryvault.hardware.fido2;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.SecretProvider;
import org.memoryvault.domain.port.TokenRepository;
import org.memoryvault.domain.port.Transactions;

/**
 * The presence gate with FIDO2 security keys (docs/HARDWARE.md §8): the plugged-in authenticator
 * must sign a fresh challenge with one of the enrolled credentials (a touch), verified by
 * webauthn-server-core against the enrolled public key, with a signature counter that grew; the new
 * counter is recorded atomically with a {@code token.use} audit entry before the gate says yes.
 *
 * <p>A credential's public key is sealed under the vault owner's key (like a TOTP secret), so an
 * agent that edits vault.db cannot swap in a key of its own, and a request without the owner's key
 * is refused. The private key never leaves the authenticator: without the device, no assertion.
 */
public final class Fido2PresenceVerifier {
    public static final String KIND = "fido2";
    static final int REPLY_MILLIS = 2_000;
    static final long TOUCH_MILLIS = 30_000;

    private final TokenRepository tokens;
    private final Sealer sealer;
    private final SecretProvider secrets;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final Fido2Devices devices;
    private final SecureRandom random;

    @jakarta.inject.Inject
    public Fido2PresenceVerifier(TokenRepository tokens, Sealer sealer, SecretProvider secrets, AuditLog audit, Transactions tx, Clock clock,
                                 Fido2Devices devices, SecureRandom random) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A token's clear parameters: {@code RP_ID/CREDENTIAL_ID} (base64url). */
    public static String parameters(String rpId, byte[] credentialId) {
        return rpId + "/" + Base64.getUrlEncoder().withoutPadding().encodeToString(credentialId);
    }

    /** Whether an authenticator is plugged in now (it is opened and closed again). */
    public boolean devicePresent() {
        Optional<HidReports> d = devices.first();
        d.ifPresent(HidReports::close);
        return d.isPresent();
    }

    /** Registers a new credential on the plugged-in authenticator (a touch); the caller seals and stores it. */
    public WebAuthnCeremonies.Registration register(String rpId) {
        try (CtapHid hid = open()) {
            Ctap2 ctap = new Ctap2(hid, () -> false);
            byte[] pinToken = ctap.pinTokenIfSet(secrets, "PIN of the security key to enrol", random);
            try {
                secrets.beforeSlowStep("touch your security key to enrol it");
                return new WebAuthnCeremonies(rpId).register(ctap, pinToken);
            } finally {
                if (pinToken != null) java.util.Arrays.fill(pinToken, (byte) 0);
            }
        }
    }

    /** Asks the plugged-in authenticator to prove one of {@code asked} (FIDO2 tokens) is here. */
    public PresenceVerifier.Decision verify(PresenceVerifier.Request request, List<PresenceToken> asked) {
        if (request.ownerKey().isEmpty()) {
            return no("a security key's enrolment opens with the owner's key only, so only the owner's own request can pass the presence gate");
        }
        List<PresenceToken> usable = new ArrayList<>();
        List<WebAuthnCeremonies.Credential> credentials = new ArrayList<>();
        String rpId = WebAuthnCeremonies.DEFAULT_RP_ID;
        for (PresenceToken t : asked) {
            String[] p = t.parameters().split("/", -1);
            byte[] cose;
            try {
                if (p.length != 2) throw new IllegalArgumentException("parameters");
                cose = sealer.openOwnerSecret(request.ownerKey().get(), t.associatedData(), t.sealedSecret());
                credentials.add(new WebAuthnCeremonies.Credential(Base64.getUrlDecoder().decode(p[1]), cose, t.lastCounter().orElse(0)));
            } catch (IllegalArgumentException | IntegrityException e) {
                continue;                                    // a row not sealed by this owner: never asked for
            }
            rpId = p[0];
            usable.add(t);
        }
        if (usable.isEmpty()) return no("no enrolled security key's row opens with the owner's key (it was changed outside the vault)");
        String theRpId = rpId;
        List<WebAuthnCeremonies.Credential> sameRp = new ArrayList<>();
        List<PresenceToken> sameRpTokens = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            if (usable.get(i).parameters().startsWith(theRpId + "/")) {
                sameRp.add(credentials.get(i));
                sameRpTokens.add(usable.get(i));
            }
        }
        WebAuthnCeremonies.Assertion assertion;
        try (CtapHid hid = open()) {
            secrets.beforeSlowStep("touch your security key (" + request.purpose() + ")");
            assertion = new WebAuthnCeremonies(theRpId).authenticate(new Ctap2(hid, () -> false), sameRp);
        } catch (AccessRefusedException e) {
            return no(e.getMessage());
        } catch (RuntimeException e) {
            return no("the security key's answer could not be checked (" + e.getClass().getSimpleName() + ")");
        }
        for (int i = 0; i < sameRp.size(); i++) {
            if (!java.util.Arrays.equals(sameRp.get(i).id, assertion.credentialId)) continue;
            PresenceToken t = sameRpTokens.get(i);
            if (use(t, assertion.signatureCount, request.purpose())) return new PresenceVerifier.Decision(true, "FIDO2 token " + t.name());
            return no("security key " + t.name() + " was used at the same counter by another process; try again");
        }
        return no("the authenticator answered with a credential that is not enrolled");
    }

    private CtapHid open() {
        HidReports device = devices.first().orElseThrow(() -> new AccessRefusedException(
                org.memoryvault.domain.error.ErrorCode.ACCESS_TOKEN, "no FIDO2 security key is plugged in"));
        try {
            return CtapHid.open(device, random, REPLY_MILLIS, TOUCH_MILLIS);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /**
     * Records the counter with its audit entry in one transaction. A key that keeps no counter (always
     * 0, which WebAuthn allows) records nothing: the library accepted 0 after 0.
     */
    private boolean use(PresenceToken t, long counter, String purpose) {
        return tx.inTransaction(() -> {
            if (counter != 0 && !tokens.advance(t.name(), counter)) return false;
            audit.append(AuditEvent.of(AuditEvent.TOKEN_USE, clock.instant()).with("token", t.name()).with("kind", KIND)
                    .with("purpose", purpose).with("counter", counter));
            return true;
        });
    }

    private static PresenceVerifier.Decision no(String reason) { return new PresenceVerifier.Decision(false, reason); }
}
