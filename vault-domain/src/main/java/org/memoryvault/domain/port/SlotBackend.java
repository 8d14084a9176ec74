package org.memoryvault.domain.port;

import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeyEncryptionKey;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.model.SlotType;

/**
 * A kind of key slot: turns the slot's secret (a passphrase, a key file, a hardware token) into the
 * slot's key-encryption key. It is all an integrator writes to add a slot type; the key-slot cipher
 * in vault-crypto wraps and unwraps the profile's keys under that KEK, so no backend ever sees a
 * data key (docs/HARDWARE.md, docs/adr/0003). Backends are contributed to the wiring as a Dagger
 * {@code @IntoSet} binding or, from a jar on the classpath, through {@link java.util.ServiceLoader}.
 *
 * <p>Contract (the conformance kit, {@code SlotBackendContract} in vault-crypto's test-jar, checks
 * it): {@link #open} with the secret and the parameters {@link #enrol} returned gives the same KEK,
 * in a new process too; a wrong secret or device either throws
 * {@code AccessRefusedException(ACCESS_WRONG_SECRET)} or gives a different KEK (the cipher then
 * refuses with that code); every array the backend allocated for key material is zeroed before it
 * returns, except the KEK it hands over.
 */
public interface SlotBackend {
    /** The slot type this backend makes and opens; its name is stored with every slot. */
    SlotType type();

    /** How a caller obtains this backend's secret. */
    default SecretInput input() { return SecretInput.NONE; }

    /**
     * A new KEK for a slot being created, with what must be stored to make it again.
     *
     * @param kdf the vault's Argon2id cost for typed secrets; a backend that stretches nothing ignores it
     */
    Enrolment enrol(SlotSecret secret, KdfParameters kdf);

    /** The KEK of a stored slot of this type (its parameters and KDF cost as {@link #enrol} left them). */
    KeyEncryptionKey open(KeySlot slot, SlotSecret secret);

    /** Where a backend's secret comes from. */
    enum SecretInput {
        /** A passphrase, typed or read from a passphrase file. */
        PASSPHRASE,
        /** A 32-byte key file. */
        KEY_FILE,
        /** Nothing typed: the device is the secret ({@link SlotSecret#of} with no bytes). */
        NONE
    }

    /**
     * The result of {@link #enrol}: the KEK (the caller closes it) and the parameters to store with
     * the slot: opaque bytes (up to 4096; e.g. a salt, a credential id, a sealed blob) and the KDF
     * cost if the backend used one.
     */
    final class Enrolment {
        public static final int MAX_PARAMETER_BYTES = 4096;

        private final KeyEncryptionKey kek;
        private final byte[] parameters;
        private final Optional<KdfParameters> kdf;

        public Enrolment(KeyEncryptionKey kek, byte[] parameters, Optional<KdfParameters> kdf) {
            this.kek = Objects.requireNonNull(kek, "kek");
            this.parameters = Objects.requireNonNull(parameters, "parameters").clone();
            this.kdf = Objects.requireNonNull(kdf, "kdf");
            if (parameters.length > MAX_PARAMETER_BYTES) {
                kek.close();
                throw new org.memoryvault.domain.error.InternalVaultException(org.memoryvault.domain.error.ErrorCode.INTERNAL_CRYPTO,
                        "a slot backend's parameters exceed " + MAX_PARAMETER_BYTES + " bytes", null);
            }
        }

        public KeyEncryptionKey kek() { return kek; }
        public byte[] parameters() { return parameters.clone(); }
        public Optional<KdfParameters> kdf() { return kdf; }

        @Override public String toString() {
            return "Enrolment[" + parameters.length + " parameter bytes, kdf=" + kdf.isPresent() + ", kek redacted]";
        }
    }
}
