package org.memoryvault.hardware.fido2;

import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorAssertionResponse;
import com.yubico.webauthn.data.AuthenticatorAttestationResponse;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.ClientAssertionExtensionOutputs;
import com.yubico.webauthn.data.ClientRegistrationExtensionOutputs;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.data.exception.Base64UrlException;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;

/**
 * Registration and authentication ceremonies, with the vault as the WebAuthn client and relying
 * party at once: it writes the client data (type, challenge, origin {@code https://RP_ID}), hands its
 * hash to the authenticator through CTAP2, and gives the authenticator's answer to Yubico's
 * webauthn-server-core, which checks the attestation signature, the RP id hash, the flags, the
 * challenge, the assertion signature against the enrolled public key and the signature counter (a
 * counter that does not grow means a cloned authenticator, and the assertion is refused).
 *
 * <p>Attestation: keys that attest with a vendor certificate and keys that self-attest are both
 * accepted (no vendor metadata is available offline); {@link Registration#attestationTrusted} says
 * whether the statement chained to a trusted root, which it never does without metadata.
 */
public final class WebAuthnCeremonies {
    public static final String DEFAULT_RP_ID = "memory-vault.local";
    /** The attestation formats whose signature over the client data webauthn-server-core checks here, self-attestation included. */
    static final Set<String> ATTESTATION_FORMATS = Set.of("packed", "fido-u2f");
    private static final String USER = "vault-owner";
    /** One user, the vault's owner, with one handle for every credential (WebAuthn's user handle is not a secret). */
    private static final ByteArray USER_HANDLE = new ByteArray(USER.getBytes(StandardCharsets.US_ASCII));

    private final String rpId;

    public WebAuthnCeremonies(String rpId) {
        this.rpId = Objects.requireNonNull(rpId, "rpId");
    }

    public String rpId() { return rpId; }

    /** An enrolled credential as the vault keeps it. */
    public static final class Credential {
        public final byte[] id;
        public final byte[] publicKeyCose;
        public final long signatureCount;

        public Credential(byte[] id, byte[] publicKeyCose, long signatureCount) {
            this.id = id.clone();
            this.publicKeyCose = publicKeyCose.clone();
            this.signatureCount = signatureCount;
        }
    }

    /** What registration verified. */
    public static final class Registration {
        public final Credential credential;
        public final boolean attestationTrusted;

        Registration(Credential credential, boolean attestationTrusted) {
            this.credential = credential;
            this.attestationTrusted = attestationTrusted;
        }
    }

    /** Which credential asserted, and its new signature counter. */
    public static final class Assertion {
        public final byte[] credentialId;
        public final long signatureCount;

        Assertion(byte[] credentialId, long signatureCount) {
            this.credentialId = credentialId.clone();
            this.signatureCount = signatureCount;
        }
    }

    /** Creates a credential on the authenticator (a touch) and verifies its attestation. */
    public Registration register(Ctap2 authenticator) { return register(authenticator, null); }

    /** As above, with a pinUvAuthToken for a key that has a PIN set ({@link Ctap2#pinTokenIfSet}). */
    public Registration register(Ctap2 authenticator, byte @org.jspecify.annotations.Nullable [] pinToken) {
        RelyingParty rp = relyingParty(new Repository(List.of()));
        PublicKeyCredentialCreationOptions request = rp.startRegistration(StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name(USER).displayName("Memory Vault owner").id(USER_HANDLE).build())
                .build());
        byte[] clientData = clientData("webauthn.create", request.getChallenge());
        Ctap2.Attestation made = authenticator.makeCredential(sha256(clientData), rpId, "Memory Vault", USER_HANDLE.getBytes(), USER, false, pinToken);
        if (!ATTESTATION_FORMATS.contains(made.format)) {
            // "none" and formats we do not check would register a key that never signed our challenge
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator attested with format '" + made.format
                    + "'; the vault accepts packed and fido-u2f, whose signature over its challenge it checks");
        }
        byte[] credentialId = Ctap2.credentialIdOf(made.authData);
        try {
            PublicKeyCredential<AuthenticatorAttestationResponse, ClientRegistrationExtensionOutputs> response =
                    PublicKeyCredential.<AuthenticatorAttestationResponse, ClientRegistrationExtensionOutputs>builder()
                            .id(new ByteArray(credentialId))
                            .response(AuthenticatorAttestationResponse.builder()
                                    .attestationObject(new ByteArray(made.attestationObject))
                                    .clientDataJSON(new ByteArray(clientData)).build())
                            .clientExtensionResults(ClientRegistrationExtensionOutputs.builder().build())
                            .build();
            RegistrationResult result = rp.finishRegistration(FinishRegistrationOptions.builder().request(request).response(response).build());
            return new Registration(new Credential(result.getKeyId().getId().getBytes(), result.getPublicKeyCose().getBytes(),
                    result.getSignatureCount()), result.isAttestationTrusted());
        } catch (RegistrationFailedException | IOException | Base64UrlException | RuntimeException | LinkageError e) {
            // whatever the device sent, the library's failure to make sense of it is a refusal, never a crash
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator's new credential did not verify ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** Asks the authenticator for an assertion by one of {@code enrolled} (a touch) and verifies it, counter included. */
    public Assertion authenticate(Ctap2 authenticator, List<Credential> enrolled) {
        if (enrolled.isEmpty()) throw new IllegalArgumentException("no credential to ask for");
        RelyingParty rp = relyingParty(new Repository(enrolled));
        AssertionRequest request = rp.startAssertion(StartAssertionOptions.builder().username(USER)
                .userVerification(UserVerificationRequirement.DISCOURAGED).build());
        byte[] clientData = clientData("webauthn.get", request.getPublicKeyCredentialRequestOptions().getChallenge());
        Ctap2.Assertion got = authenticator.getAssertion(rpId, sha256(clientData), enrolled.stream().map(c -> c.id).toList());
        try {
            PublicKeyCredential<AuthenticatorAssertionResponse, ClientAssertionExtensionOutputs> response =
                    PublicKeyCredential.<AuthenticatorAssertionResponse, ClientAssertionExtensionOutputs>builder()
                            .id(new ByteArray(got.credentialId))
                            .response(AuthenticatorAssertionResponse.builder()
                                    .authenticatorData(new ByteArray(got.authData))
                                    .clientDataJSON(new ByteArray(clientData))
                                    .signature(new ByteArray(got.signature)).build())
                            .clientExtensionResults(ClientAssertionExtensionOutputs.builder().build())
                            .build();
            AssertionResult result = rp.finishAssertion(FinishAssertionOptions.builder().request(request).response(response).build());
            if (!result.isSuccess()) throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator's assertion did not verify");
            return new Assertion(result.getCredential().getCredentialId().getBytes(), result.getSignatureCount());
        } catch (AssertionFailedException e) {
            String why = String.valueOf(e.getMessage());
            if (why.toLowerCase(java.util.Locale.ROOT).contains("counter")) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator's signature counter did not grow: it may be"
                        + " a clone of the enrolled key (refused; remove the token and enrol the key again if you reset it)");
            }
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator's assertion did not verify (" + why + ")");
        } catch (IOException | Base64UrlException | RuntimeException | LinkageError e) {
            if (e instanceof AccessRefusedException a) throw a;
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator's assertion is malformed ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private RelyingParty relyingParty(CredentialRepository credentials) {
        return RelyingParty.builder()
                .identity(RelyingPartyIdentity.builder().id(rpId).name("Memory Vault").build())
                .credentialRepository(credentials)
                .origins(Set.of(origin()))
                .allowUntrustedAttestation(true)
                .validateSignatureCounter(true)
                .build();
    }

    private String origin() { return "https://" + rpId; }

    /** The client data a browser would write (WebAuthn §5.8.1); the authenticator signs its hash. */
    private byte[] clientData(String type, ByteArray challenge) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge.getBase64Url() + "\",\"origin\":\"" + origin()
                + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The enrolled credentials, all of the one vault owner, for webauthn-server-core's lookups. */
    private static final class Repository implements CredentialRepository {
        private final List<Credential> credentials;

        Repository(List<Credential> credentials) { this.credentials = credentials; }

        @Override
        public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
            if (!USER.equals(username)) return Set.of();
            java.util.Set<PublicKeyCredentialDescriptor> out = new java.util.LinkedHashSet<>();
            for (Credential c : credentials) out.add(PublicKeyCredentialDescriptor.builder().id(new ByteArray(c.id)).build());
            return out;
        }

        @Override
        public Optional<ByteArray> getUserHandleForUsername(String username) {
            return USER.equals(username) ? Optional.of(USER_HANDLE) : Optional.empty();
        }

        @Override
        public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
            return USER_HANDLE.equals(userHandle) ? Optional.of(USER) : Optional.empty();
        }

        @Override
        public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
            return credentials.stream().filter(c -> USER_HANDLE.equals(userHandle) && new ByteArray(c.id).equals(credentialId))
                    .findFirst().map(Repository::registered);
        }

        @Override
        public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
            java.util.Set<RegisteredCredential> out = new java.util.LinkedHashSet<>();
            for (Credential c : credentials) if (new ByteArray(c.id).equals(credentialId)) out.add(registered(c));
            return out;
        }

        private static RegisteredCredential registered(Credential c) {
            return RegisteredCredential.builder().credentialId(new ByteArray(c.id)).userHandle(USER_HANDLE)
                    .publicKeyCose(new ByteArray(c.publicKeyCose)).signatureCount(c.signatureCount).build();
        }
    }
}
