package org.memoryvault.hardware;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.policy.VaultSettings;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.domain.port.TokenRepository;
import org.memoryvault.hardware.fido2.Fido2PresenceVerifier;
import org.memoryvault.hardware.totp.TotpPresenceVerifier;

/**
 * The presence gate over every kind of enrolled token (docs/HARDWARE.md): the tokens asked for are
 * the one a command names, else the one {@code token.required} names, else all. Among them a FIDO2
 * security key is asked for a touch when one is enrolled and either no TOTP token is asked or a key
 * is plugged in; otherwise a TOTP code is asked for.
 */
public final class AnyTokenPresenceVerifier implements PresenceVerifier {
    private final TokenRepository tokens;
    private final String required;
    private final TotpPresenceVerifier totp;
    private final Fido2PresenceVerifier fido2;

    @jakarta.inject.Inject
    public AnyTokenPresenceVerifier(TokenRepository tokens, VaultSettings settings, TotpPresenceVerifier totp, Fido2PresenceVerifier fido2) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.required = settings.requiredToken();
        this.totp = Objects.requireNonNull(totp, "totp");
        this.fido2 = Objects.requireNonNull(fido2, "fido2");
    }

    @Override public boolean anyEnrolled() { return !tokens.list().isEmpty(); }

    @Override
    public Decision verify(Request request) {
        Optional<String> only = request.token().or(() -> Optional.of(required).filter(r -> !r.isEmpty()));
        List<PresenceToken> asked = tokens.list().stream().filter(t -> only.map(t.name()::equals).orElse(true)).toList();
        List<PresenceToken> keys = asked.stream().filter(t -> t.kind().equals(Fido2PresenceVerifier.KIND)).toList();
        boolean codes = asked.stream().anyMatch(t -> t.kind().equals(TotpPresenceVerifier.KIND));
        if (!keys.isEmpty() && (!codes || fido2.devicePresent())) return fido2.verify(request, keys);
        return totp.verify(request);
    }
}
