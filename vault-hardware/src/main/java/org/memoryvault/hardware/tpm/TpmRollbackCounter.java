package org.memoryvault.hardware.tpm;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.port.RollbackCounter;

/**
 * A TPM 2.0 NV counter as the owner seals' rollback anchor (docs/HARDWARE.md §6): a TPM counter only
 * goes up, and one defined anew at the same index starts at the highest value any counter on that
 * TPM ever had, so no process (the agent included) can set it back. It can advance it (the index's
 * auth value is empty), which makes the vault refuse to run until the owner reseals: a denial of
 * service, never a rollback that goes unseen.
 *
 * <p>Every read is certified (TPM2_NV_Certify): signed over a fresh nonce by this TPM's attestation
 * key, whose fingerprint (SHA-256 of its public point) is part of the sealed setting, and naming our
 * counter's exact public area. So a fake TPM (a software TPM on a port, a pseudo-terminal bound over
 * {@code /dev/tpmrm0} in a private mount namespace) cannot answer with an old value, and neither can
 * another index at the same handle or a replayed answer.
 */
public final class TpmRollbackCounter implements RollbackCounter {
    private static final HexFormat HEX = HexFormat.of();
    private final String device;
    private final int index;
    private final String fingerprint;
    private final SecureRandom random;

    public TpmRollbackCounter(String device, int index, String fingerprint, SecureRandom random) {
        this.device = Objects.requireNonNull(device, "device");
        this.index = requireIndex(index);
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** {@code audit.tpm-counter}'s value: {@code 0x01500016:FINGERPRINT} (the index, then 64 hex digits). */
    public static TpmRollbackCounter fromSetting(String device, String value, SecureRandom random) {
        String[] parts = value.split(":", -1);
        if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "audit.tpm-counter is INDEX:FINGERPRINT as `vault hardware counter"
                    + " define` prints it, not " + value);
        }
        return new TpmRollbackCounter(device, parseIndex(parts[0]), parts[1], random);
    }

    /** An NV index of the owner range for counters: 0x01000000-0x01BFFFFF (TCG's registry keeps 0x01C00000 up for others). */
    public static int requireIndex(int index) {
        if (index < 0x01000000 || index > 0x01bfffff) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a TPM NV counter index is 0x01000000-0x01bfffff, not 0x"
                    + Integer.toHexString(index));
        }
        return index;
    }

    /** {@code 0x01500016} as a number; {@code INPUT_INVALID} otherwise. */
    public static int parseIndex(String text) {
        if (!text.matches("0x[0-9a-fA-F]{8}")) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a TPM NV index is 0x and 8 hex digits (e.g. 0x01500016), not " + text);
        }
        return requireIndex(Integer.parseUnsignedInt(text.substring(2), 16));
    }

    /**
     * Defines the counter at {@code index} on {@code device} if it is not there yet: the setting value
     * for {@code audit.tpm-counter} ({@code INDEX:FINGERPRINT}) and the counter's value.
     */
    public static String[] define(String device, int index) {
        requireIndex(index);
        try {
            long value = TpmCommands.defineCounter(device, index);
            String setting = String.format("0x%08x", index) + ":" + HEX.formatHex(sha256(TpmCommands.attestationKey(device)));
            return new String[] {setting, Long.toString(value)};
        } catch (Tpm2SlotBackend.Failure e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " did not define NV counter "
                    + name(index) + " (" + e.getMessage() + ")");
        }
    }

    @Override public Optional<String> name() { return Optional.of(name(index)); }

    private static String name(int index) { return String.format("tpm-nv:0x%08x", index); }

    @Override
    public long read() {
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[][] certified;
        try {
            certified = TpmCommands.certifyCounter(device, index, nonce);
        } catch (Tpm2SlotBackend.Failure e) {
            throw refused("cannot certify NV counter " + name(index) + " (" + e.getMessage() + "; is it defined? `vault hardware counter define`)");
        }
        byte[] attest = certified[0];
        byte[] key = certified[3];
        if (!HEX.formatHex(sha256(key)).equals(fingerprint)) {
            throw refused("is not the TPM that NV counter " + name(index) + " was defined on (its attestation key differs)");
        }
        if (!verifies(key, attest, certified[1], certified[2])) throw refused("signed NV counter " + name(index) + " with a bad signature");
        byte[][] parsed;
        try {
            parsed = TpmCommands.parseNvAttest(attest);
        } catch (RuntimeException e) {
            throw refused("sent a malformed NV certification for " + name(index));
        }
        if (!MessageDigest.isEqual(parsed[0], nonce)) throw refused("answered an older NV certification (not our nonce)");
        if (!MessageDigest.isEqual(parsed[1], TpmCommands.counterName(index))) {
            throw refused("holds something else than the vault's counter at " + name(index) + " (another kind of index, or other attributes)");
        }
        if (parsed[2][0] != 0 || parsed[3].length != 8) throw refused("certified the wrong part of NV counter " + name(index));
        return new BigInteger(1, parsed[3]).longValueExact();
    }

    @Override
    public long increment() {
        try {
            return TpmCommands.incrementCounter(device, index);
        } catch (Tpm2SlotBackend.Failure e) {
            throw refused("cannot advance NV counter " + name(index) + " (" + e.getMessage() + ")");
        }
    }

    private AccessRefusedException refused(String what) {
        return new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the TPM at " + device + " " + what);
    }

    /** ECDSA P-256 over SHA-256 of {@code message}, the signature as the TPM gives it (r, s). */
    private static boolean verifies(byte[] point, byte[] message, byte[] r, byte[] s) {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = params.getParameterSpec(ECParameterSpec.class);
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
                    new BigInteger(1, Arrays.copyOfRange(point, 0, 32)), new BigInteger(1, Arrays.copyOfRange(point, 32, 64))), p256));
            if (r.length > 32 || s.length > 32) return false;
            byte[] rs = new byte[64];
            System.arraycopy(r, 0, rs, 32 - r.length, r.length);
            System.arraycopy(s, 0, rs, 64 - s.length, s.length);
            Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
            v.initVerify(key);
            v.update(message);
            return v.verify(rs);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
