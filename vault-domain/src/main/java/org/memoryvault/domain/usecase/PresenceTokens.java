package org.memoryvault.domain.usecase;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.error.NotFoundException;
import org.memoryvault.domain.model.AuditEvent;
import org.memoryvault.domain.model.OwnedKey;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.port.AuditLog;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.Sealer;
import org.memoryvault.domain.port.TokenRepository;
import org.memoryvault.domain.port.VaultStateRepository;

/**
 * Presence tokens (docs/HARDWARE.md): the owner enrols, tests and removes them, each an owner
 * ceremony (the owner's secret proved now; refused in lockdown). A token's secret is sealed under
 * the vault owner's key, so only the owner's key opens it to check a code, and its row is covered by
 * the owner's seal (docs/FORMAT.md §12-13).
 *
 * <p>Security: the secret passed to {@link #enroll} is the caller's to wipe; this class keeps no copy.
 */
public final class PresenceTokens {
    private final TokenRepository tokens;
    private final OwnerProof ownerProof;
    private final VaultStateRepository state;
    private final Sealer sealer;
    private final PresenceVerifier presence;
    private final AuditLog audit;
    private final Clock clock;

    public PresenceTokens(TokenRepository tokens, OwnerProof ownerProof, VaultStateRepository state, Sealer sealer,
                          PresenceVerifier presence, AuditLog audit, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.ownerProof = Objects.requireNonNull(ownerProof, "ownerProof");
        this.state = Objects.requireNonNull(state, "state");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Enrols a token of {@code kind} with its clear parameters and its secret (sealed here under the owner's key). */
    public PresenceToken enroll(String name, String kind, String parameters, byte[] secret) {
        return enroll(name, kind, () -> new Enrolment(parameters, secret.clone(), OptionalLong.empty()));
    }

    /** What a device gives at enrolment: the token's clear parameters, its secret (wiped here) and its counter, if it keeps one. */
    public static final class Enrolment {
        final String parameters;
        final byte[] secret;
        final OptionalLong counter;

        public Enrolment(String parameters, byte[] secret, OptionalLong counter) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            this.secret = Objects.requireNonNull(secret, "secret");
            this.counter = Objects.requireNonNull(counter, "counter");
        }
    }

    /**
     * Enrols a token whose parameters and secret come from a device ({@code device}: a touch, a
     * challenge), asked only after the checks (not in lockdown, the name free) and the owner's proof,
     * so nobody but the owner gets as far as the device.
     */
    public PresenceToken enroll(String name, String kind, java.util.function.Supplier<Enrolment> device) {
        PresenceToken.requireValidName(name);
        state.lockdown().refuseIfActive("enrolling a presence token");
        if (tokens.find(name).isPresent()) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a token named " + name + " exists");
        try (OwnedKey proven = ownerProof.proveVaultOwnerKey()) {
            Enrolment e = device.get();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String parameters = e.parameters;
            PresenceToken unsealed = new PresenceToken(name, kind, parameters, new byte[0], OptionalLong.empty(), now);
            PresenceToken token;
            try {
                token = new PresenceToken(name, kind, parameters,
                        sealer.sealOwnerSecret(proven.key(), unsealed.associatedData(), e.secret), e.counter, now);
            } finally {
                java.util.Arrays.fill(e.secret, (byte) 0);
            }
            ownerProof.ceremony(proven.key(), () -> {
                tokens.insert(token);
                audit.append(AuditEvent.of(AuditEvent.TOKEN_ENROLL, now).with("token", name).with("kind", kind));
            });
            return token;
        }
    }

    public List<PresenceToken> list() { return tokens.list(); }

    /** Checks the token now (a code typed, a touch): proves the owner, then asks the verifier about this token only. */
    public PresenceVerifier.Decision test(String name) {
        find(name);
        try (OwnedKey proven = ownerProof.proveVaultOwnerKey()) {
            return presence.verify(new PresenceVerifier.Request("testing token " + name, Optional.of(proven.key()), Optional.of(name)));
        }
    }

    /**
     * Removes a token with the owner's secret alone, in lockdown too. Asking for another token's code
     * as well would add nothing a TOTP token can hold: the owner key that proves the owner also opens
     * every token's secret. Works on a row that no longer reads (a lost device, or a row a careless
     * reseal accepted must not lock the owner out).
     */
    public void remove(String name) {
        if (!tokens.exists(name)) {
            throw new NotFoundException(ErrorCode.NOT_FOUND_TOKEN, "no token named " + name + " (see `vault token list`)");
        }
        try (OwnedKey proven = ownerProof.proveVaultOwnerKey()) {
            Instant now = clock.instant();
            ownerProof.ceremony(proven.key(), () -> {
                tokens.remove(name);
                audit.append(AuditEvent.of(AuditEvent.TOKEN_REMOVE, now).with("token", name));
            });
        }
    }

    private PresenceToken find(String name) {
        return tokens.find(name).orElseThrow(() -> new NotFoundException(ErrorCode.NOT_FOUND_TOKEN, "no token named " + name
                + " (see `vault token list`)"));
    }
}
