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
import org.memoryvault.hardware.yubikey.YubiKeyPresenceVerifier;

/**
 * The presence gate over every kind of enrolled token (docs/HARDWARE.md): the tokens asked for are
 * the one a command names, else the one {@code token.required} names, else all. Among them the
 * devices are tried first, a FIDO2 security key, then a YubiKey, each when a token of its kind is
 * asked and such a device is plugged in; then a TOTP code if a TOTP token is asked; else the first
 * device kind asked, whose refusal says what to plug in.
 */
public final class AnyTokenPresenceVerifier implements PresenceVerifier {
    private final TokenRepository tokens;
    private final String required;
    private final TotpPresenceVerifier totp;
    private final Fido2PresenceVerifier fido2;
    private final YubiKeyPresenceVerifier yubikey;

    @jakarta.inject.Inject
    public AnyTokenPresenceVerifier(TokenRepository tokens, VaultSettings settings, TotpPresenceVerifier totp, Fido2PresenceVerifier fido2,
                                    YubiKeyPresenceVerifier yubikey) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.required = settings.requiredToken();
        this.totp = Objects.requireNonNull(totp, "totp");
        this.fido2 = Objects.requireNonNull(fido2, "fido2");
        this.yubikey = Objects.requireNonNull(yubikey, "yubikey");
    }

    @Override public boolean anyEnrolled() { return !tokens.list().isEmpty(); }

    @Override
    public Decision verify(Request request) {
        Optional<String> only = request.token().or(() -> Optional.of(required).filter(r -> !r.isEmpty()));
        List<PresenceToken> asked = tokens.list().stream().filter(t -> only.map(t.name()::equals).orElse(true)).toList();
        List<PresenceToken> keys = ofKind(asked, Fido2PresenceVerifier.KIND);
        List<PresenceToken> yubikeys = ofKind(asked, YubiKeyPresenceVerifier.KIND);
        if (!keys.isEmpty() && fido2.devicePresent()) return fido2.verify(request, keys);
        if (!yubikeys.isEmpty() && yubikey.devicePresent()) return yubikey.verify(request, yubikeys);
        if (!ofKind(asked, TotpPresenceVerifier.KIND).isEmpty()) return totp.verify(request);
        if (!keys.isEmpty()) return fido2.verify(request, keys);
        if (!yubikeys.isEmpty()) return yubikey.verify(request, yubikeys);
        return totp.verify(request);                        // nothing enrolled, or a kind this vault cannot check: it says which
    }

    private static List<PresenceToken> ofKind(List<PresenceToken> tokens, String kind) {
        return tokens.stream().filter(t -> t.kind().equals(kind)).toList();
    }
}
