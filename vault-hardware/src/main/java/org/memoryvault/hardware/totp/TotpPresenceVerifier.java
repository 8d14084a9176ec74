package org.memoryvault.hardware.totp;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
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
 * The presence gate with TOTP tokens (RFC 6238): a code typed now (or read from a code file) must be
 * one of an enrolled token's codes within one step of the clock, for a step later than any accepted
 * before; the accepted step is recorded atomically with a {@code token.use} audit entry before the
 * gate says yes. A token's secret is sealed under the vault owner's key, so a request without the
 * owner's key (an agent's) is refused.
 *
 * <p>Security: TOTP yields no key material; the secret sits in the vault, so whoever holds the owner's
 * key can compute codes. The gate is policy only (docs/HARDWARE.md, docs/THREAT-MODEL.md).
 */
public final class TotpPresenceVerifier implements PresenceVerifier {
    public static final String KIND = "totp";

    private final TokenRepository tokens;
    private final Sealer sealer;
    private final SecretProvider secrets;
    private final AuditLog audit;
    private final Transactions tx;
    private final Clock clock;
    private final String required;

    /** A verifier that accepts any enrolled token. */
    public TotpPresenceVerifier(TokenRepository tokens, Sealer sealer, SecretProvider secrets, AuditLog audit, Transactions tx,
                                Clock clock) {
        this(tokens, sealer, secrets, audit, tx, clock, org.memoryvault.domain.policy.VaultSettings.DEFAULTS);
    }

    /** A verifier that accepts only {@code settings.requiredToken()} where the owner set one ({@code token.required}). */
    @jakarta.inject.Inject
    public TotpPresenceVerifier(TokenRepository tokens, Sealer sealer, SecretProvider secrets, AuditLog audit, Transactions tx,
                                Clock clock, org.memoryvault.domain.policy.VaultSettings settings) {
        this.required = settings.requiredToken();
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override public boolean anyEnrolled() { return !tokens.list().isEmpty(); }

    @Override
    public Decision verify(Request request) {
        List<PresenceToken> all = tokens.list();
        if (all.isEmpty()) return no("no presence token is enrolled (enroll one with `vault token enroll totp`, `fido2` or `yubikey`)");
        Optional<String> only = request.token().or(() -> Optional.of(required).filter(r -> !r.isEmpty()));
        List<PresenceToken> asked = only.map(n -> all.stream().filter(t -> t.name().equals(n)).toList()).orElse(all);
        if (asked.isEmpty()) {
            return no(request.token().isPresent() ? "no token named " + only.orElse("")
                    : "token.required names " + required + ", which is not enrolled (`vault token list`)");
        }
        List<PresenceToken> totp = asked.stream().filter(t -> t.kind().equals(KIND)).toList();
        if (totp.isEmpty()) return no("token " + asked.get(0).name() + " is of kind " + asked.get(0).kind() + ", which this vault cannot check");
        if (request.ownerKey().isEmpty()) {
            return no("a token's secret opens with the owner's key only, so only the owner's own request can pass the presence gate");
        }
        String names = totp.stream().map(PresenceToken::name).collect(Collectors.joining(", "));
        Optional<String> code = secrets.oneTimeCode(request.purpose() + ", TOTP code of " + names);
        if (code.isEmpty()) return no("no TOTP code was given (--totp-code-file FILE, or type it when asked on a terminal)");
        Instant now = clock.instant();
        boolean replay = false;
        boolean changed = false;
        String future = "";
        for (PresenceToken t : totp) {
            OptionalLong step;
            Totp.Parameters p;
            byte[] secret;
            try {
                p = Totp.Parameters.parse(t.parameters());
                secret = sealer.openOwnerSecret(request.ownerKey().get(), t.associatedData(), t.sealedSecret());
            } catch (IllegalArgumentException | IntegrityException e) {
                changed = true;                             // a row not sealed by this owner: try the others
                continue;
            }
            if (t.lastCounter().isPresent() && t.lastCounter().getAsLong() > Totp.step(now, p.periodSeconds()) + 1) {
                Arrays.fill(secret, (byte) 0);
                future = t.name();                          // no code can ever pass it: say so rather than "used already"
                continue;
            }
            try {
                step = Totp.accept(secret, p, code.get(), now, t.lastCounter().orElse(Long.MIN_VALUE));
                replay |= step.isEmpty() && Totp.accept(secret, p, code.get(), now, Long.MIN_VALUE).isPresent();
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            if (step.isPresent() && use(t.name(), step.getAsLong(), request.purpose(), now)) {
                return new Decision(true, "TOTP token " + t.name());
            }
            if (step.isPresent()) replay = true;            // another process took that step first
        }
        if (replay) return no("that TOTP code (or a newer one) was used already; wait for the next code");
        if (!future.isEmpty()) {
            return no("token " + future + " is recorded as used at a time still to come (vault.db was edited, or the clock went back);"
                    + " remove it with the owner's passphrase (`vault token remove " + future + "`) and enrol it again");
        }
        if (changed) return no("wrong TOTP code, and a token's row does not open with the owner's key (it was changed outside the vault)");
        return no("wrong TOTP code (or the clock is more than one step off)");
    }

    /** Records the step, with its audit entry, in one transaction; false if it was taken meanwhile. */
    private boolean use(String name, long step, String purpose, Instant now) {
        return tx.inTransaction(() -> {
            if (!tokens.advance(name, step)) return false;
            audit.append(AuditEvent.of(AuditEvent.TOKEN_USE, now).with("token", name).with("kind", KIND).with("purpose", purpose)
                    .with("step", step));
            return true;
        });
    }

    private static Decision no(String reason) { return new Decision(false, reason); }
}
