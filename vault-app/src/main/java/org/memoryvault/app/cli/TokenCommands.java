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
import org.memoryvault.hardware.yubikey.YubiKeyPresenceVerifier;
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
            + " so with TOTP alone the presence gate is policy only; `vault profile bind-level5` puts a device's key material"
            + " into level 5's key (docs/HARDWARE.md §9)";

    static final String YUBIKEY_WARNING = "a YubiKey token's secret is kept in the vault, sealed under the owner's key, so like TOTP the"
            + " gate is policy only; it adds that the answer comes from the key now (and a touch, if its slot wants one)";

    static Map<String, Object> json(PresenceToken t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", t.name());
        o.put("kind", t.kind());
        o.put("parameters", t.parameters());
        o.put("created_at", Json.time(t.createdAt()));
        return o;
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true, description = "Enroll a presence token.",
            subcommands = {EnrollTotp.class, EnrollFido2.class, EnrollYubiKey.class})
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
            for (PresenceToken other : vault.component().presenceTokens().list()) {
                if (other.kind().equals(Fido2PresenceVerifier.KIND) && !other.parameters().startsWith(rpId + "/")) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "FIDO2 token " + other.name() + " is enrolled for another"
                            + " relying-party id (" + other.parameters().substring(0, other.parameters().indexOf('/')) + "); all keys share one");
                }
            }
            boolean[] trusted = new boolean[1];
            PresenceToken t = vault.component().presenceTokens().enroll(name, Fido2PresenceVerifier.KIND, () -> {
                WebAuthnCeremonies.Registration r = vault.component().fido2().register(rpId);      // after the checks and the owner's proof
                trusted[0] = r.attestationTrusted;
                return new org.memoryvault.domain.usecase.PresenceTokens.Enrolment(Fido2PresenceVerifier.parameters(rpId, r.credential.id),
                        r.credential.publicKeyCose, java.util.OptionalLong.of(r.credential.signatureCount));
            });
            Map<String, Object> out = json(t);
            out.put("attestation_trusted", trusted[0]);
            return new Result(out, "enrolled FIDO2 security key " + name + " for " + rpId + "; check it with `vault token test " + name + "`");
        }
    }

    @Command(name = "yubikey", mixinStandardHelpOptions = true,
            description = {"Enroll a YubiKey configuration slot programmed for HMAC-SHA1 challenge-response (e.g. `ykman otp",
                    "chalresp --generate 2`, which prints the secret): the secret, 40 hex digits, comes from a 0600 file; the",
                    "key must answer a challenge as that secret says. Policy only, like TOTP: the secret is kept in the vault."})
    static final class EnrollYubiKey extends VaultCommand {
        @Option(names = "--name", defaultValue = "yubikey", paramLabel = "NAME",
                description = "The token's name: 1-32 of a-z 0-9 -, starting with a letter (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--slot", defaultValue = "2", paramLabel = "1|2", description = "The YubiKey configuration slot (default: ${DEFAULT-VALUE}).")
        int slot;

        @Option(names = "--secret-file", required = true, paramLabel = "FILE",
                description = "A 0600 file holding the slot's HMAC-SHA1 secret as 40 hex digits (never on the command line).")
        java.nio.file.Path secretFile;

        @Override
        Result execute(Vault vault) {
            PresenceToken.requireValidName(name);
            if (slot != 1 && slot != 2) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--slot is 1 or 2");
            char[] hex = org.memoryvault.app.wiring.CliSecretProvider.readSecretFile(secretFile, "YubiKey secret file");
            byte[] secret = new byte[20];
            try {
                String text = new String(hex).strip().replace(" ", "");
                if (!text.matches("[0-9a-fA-F]{40}")) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the YubiKey secret file " + secretFile
                            + " must hold the slot's secret as 40 hex digits");
                }
                for (int i = 0; i < 20; i++) secret[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
                PresenceToken t = vault.component().presenceTokens().enroll(name, YubiKeyPresenceVerifier.KIND, () -> {
                    if (!vault.component().yubiKeyPresence().answersWith(slot, secret)) {         // after the checks and the owner's proof
                        throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the YubiKey's slot " + slot
                                + " does not answer as that secret says (another slot, another key, or another secret)");
                    }
                    return new org.memoryvault.domain.usecase.PresenceTokens.Enrolment(YubiKeyPresenceVerifier.parameters(slot), secret.clone(),
                            java.util.OptionalLong.empty());
                });
                Map<String, Object> out = json(t);
                out.put("warning", YUBIKEY_WARNING);
                return new Result(out, "enrolled YubiKey token " + name + " (slot " + slot + "); check it with `vault token test " + name
                        + "`\nnote: " + YUBIKEY_WARNING);
            } finally {
                Arrays.fill(hex, '\0');
                Arrays.fill(secret, (byte) 0);
            }
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
                    list.isEmpty() ? "no tokens (level-5 recall is refused until one is enrolled: `vault token enroll totp`, `fido2` or `yubikey`)"
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
