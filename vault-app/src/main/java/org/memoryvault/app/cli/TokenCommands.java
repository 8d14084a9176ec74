package org.memoryvault.app.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.PresenceToken;
import org.memoryvault.domain.port.PresenceVerifier;
import org.memoryvault.hardware.fido2.Fido2PresenceVerifier;
import org.memoryvault.hardware.fido2.WebAuthnCeremonies;
import org.memoryvault.hardware.totp.Totp;
import org.memoryvault.hardware.totp.TotpPresenceVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vault token enroll|list|test|remove}: presence tokens (docs/HARDWARE.md). Enrolling, testing
 * and removing are owner ceremonies (the owner's passphrase is proved); a code comes from
 * {@code --totp-code-file} or the terminal, never from the command line.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Manage presence tokens: with one enrolled, level-5 recall and leaving lockdown also need a code of it.",
        subcommands = {TokenCommands.Enroll.class, TokenCommands.ListAll.class, TokenCommands.Test.class, TokenCommands.Remove.class})
final class TokenCommands {
    static final String TOTP_WARNING = "TOTP yields no key material: its secret is stored in the vault, sealed under the owner's key,"
            + " so with TOTP alone the presence gate is policy only (docs/HARDWARE.md)";

    static Map<String, Object> json(PresenceToken t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", t.name());
        o.put("kind", t.kind());
        o.put("parameters", t.parameters());
        o.put("created_at", Json.time(t.createdAt()));
        return o;
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true, description = "Enroll a presence token.",
            subcommands = {EnrollTotp.class, EnrollFido2.class})
    static final class Enroll {}

    @Command(name = "totp", mixinStandardHelpOptions = true,
            description = {"Enroll a TOTP token (RFC 6238): prints the otpauth:// URI to add to an authenticator app, once.",
                    "TOTP is a policy gate only: its secret is in the vault (docs/HARDWARE.md)."})
    static final class EnrollTotp extends VaultCommand {
        @Option(names = "--name", defaultValue = "totp", paramLabel = "NAME",
                description = "The token's name: 1-32 of a-z 0-9 -, starting with a letter (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--algorithm", defaultValue = "SHA1", paramLabel = "ALG",
                description = "SHA1 (what most apps support), SHA256 or SHA512 (default: ${DEFAULT-VALUE}).")
        String algorithm;

        @Option(names = "--digits", defaultValue = "6", paramLabel = "N", description = "Code length, 6-8 (default: ${DEFAULT-VALUE}).")
        int digits;

        @Option(names = "--period", defaultValue = "30", paramLabel = "SECONDS",
                description = "Seconds per code, 1-300 (default: ${DEFAULT-VALUE}).")
        int period;

        @Override
        Result execute(Vault vault) {
            Totp.Parameters p;
            try {
                p = new Totp.Parameters(Totp.Algorithm.parse(algorithm), digits, period);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, String.valueOf(e.getMessage()));
            }
            // RFC 4226 §4 asks for a secret as long as the HMAC's output
            byte[] secret = new byte[switch (p.algorithm()) { case SHA1 -> 20; case SHA256 -> 32; case SHA512 -> 64; }];
            vault.component().random().nextBytes(secret);
            try {
                PresenceToken t = vault.component().presenceTokens().enroll(name, TotpPresenceVerifier.KIND, p.text(), secret);
                String uri = Totp.uri(name, secret, p);
                Map<String, Object> out = json(t);
                out.put("otpauth_uri", uri);
                out.put("warning", TOTP_WARNING);
                return new Result(out, "enrolled TOTP token " + name + " (" + p.text() + "); add it to an authenticator app now, it is"
                        + " shown once:\n  " + uri + "\nthen check it with `vault token test " + name + "`.\nnote: " + TOTP_WARNING);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    @Command(name = "fido2", mixinStandardHelpOptions = true,
            description = {"Enroll a FIDO2 security key (USB): a touch creates a credential for the vault, checked with",
                    "webauthn-server-core; later proofs are a touch that signs a fresh challenge (docs/HARDWARE.md)."})
    static final class EnrollFido2 extends VaultCommand {
        @Option(names = "--name", defaultValue = "fido2", paramLabel = "NAME",
                description = "The token's name: 1-32 of a-z 0-9 -, starting with a letter (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--rp-id", defaultValue = WebAuthnCeremonies.DEFAULT_RP_ID, paramLabel = "ID",
                description = "The WebAuthn relying-party id the credential is made for (default: ${DEFAULT-VALUE}).")
        String rpId;

        @Override
        Result execute(Vault vault) {
            PresenceToken.requireValidName(name);
            if (!rpId.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a relying-party id is a domain name in lower case, not " + rpId);
            }
            WebAuthnCeremonies.Registration r = vault.component().fido2().register(rpId);
            PresenceToken t = vault.component().presenceTokens().enroll(name, Fido2PresenceVerifier.KIND,
                    Fido2PresenceVerifier.parameters(rpId, r.credential.id), r.credential.publicKeyCose);
            Map<String, Object> out = json(t);
            out.put("attestation_trusted", r.attestationTrusted);
            return new Result(out, "enrolled FIDO2 security key " + name + " for " + rpId + "; check it with `vault token test " + name + "`");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List enrolled tokens (never their secrets).")
    static final class ListAll extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            List<PresenceToken> list = vault.component().presenceTokens().list();
            StringBuilder text = new StringBuilder();
            for (PresenceToken t : list) {
                text.append(t.name()).append("  ").append(t.kind()).append("  ").append(t.parameters()).append("  enrolled ")
                        .append(Json.time(t.createdAt())).append('\n');
            }
            return new Result(Map.of("tokens", list.stream().map(TokenCommands::json).toList()),
                    list.isEmpty() ? "no tokens (level-5 recall is refused until one is enrolled: `vault token enroll totp` or `fido2`)"
                            : text.toString().stripTrailing());
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Check a token now: the owner's passphrase, then a code (a used code cannot be used again).")
    static final class Test extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The token's name.") String name;

        @Override
        Result execute(Vault vault) {
            PresenceVerifier.Decision d = vault.component().presenceTokens().test(name);
            if (!d.present()) throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "token " + name + ": " + d.reason());
            return new Result(Map.of("token", name, "present", true), "token " + name + " works");
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a token: the owner's passphrase alone (in lockdown too, for a lost device).")
    static final class Remove extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The token's name.") String name;

        @Override
        Result execute(Vault vault) {
            vault.component().presenceTokens().remove(name);
            return new Result(Map.of("removed", name), "removed token " + name);
        }
    }
}
