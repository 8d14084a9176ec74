package org.memoryvault.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;

/**
 * Shamir's secret sharing over GF(2^8), byte by byte (docs/FORMAT.md §15): for each byte of the
 * secret a polynomial of degree k-1 whose constant term is that byte and whose other k-1
 * coefficients are fresh random bytes; share x (1..n) holds the polynomial's values at x. Any k
 * shares give the secret back by Lagrange interpolation at 0; k-1 shares are consistent with every
 * possible secret, so they say nothing about it. The field is GF(2)[X]/(X^8+X^4+X^3+X+1) (AES's),
 * and every operation is branch-free in the secret and share bytes (no log tables).
 */
public final class Shamir {
    public static final int MAX_SHARES = 255;

    private Shamir() {}

    /**
     * Splits {@code secret} into {@code n} shares, any {@code k} of which recover it (2 <= k <= n <= 255);
     * share {@code i} (0-based) is the one at x = i + 1. The caller wipes the shares.
     */
    public static byte[][] split(byte[] secret, int k, int n, SecureRandom random) {
        Objects.requireNonNull(secret, "secret");
        if (k < 2 || k > n || n > MAX_SHARES) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "a threshold k of n shares needs 2 <= k <= n <= " + MAX_SHARES
                    + " (got k=" + k + ", n=" + n + ")");
        }
        byte[][] shares = new byte[n][secret.length];
        byte[] coefficients = new byte[k];
        try {
            for (int b = 0; b < secret.length; b++) {
                coefficients[0] = secret[b];
                byte[] fresh = new byte[k - 1];
                random.nextBytes(fresh);
                System.arraycopy(fresh, 0, coefficients, 1, k - 1);
                Arrays.fill(fresh, (byte) 0);
                for (int i = 0; i < n; i++) shares[i][b] = (byte) evaluate(coefficients, i + 1);
            }
            return shares;
        } finally {
            Arrays.fill(coefficients, (byte) 0);
        }
    }

    /**
     * The secret from shares at the distinct points {@code xs} (1..255), all of one length: with k
     * or more shares of one split, its secret; with fewer, or shares of different splits, some other
     * bytes (a caller checks a commitment). The caller wipes the result.
     */
    public static byte[] combine(int[] xs, byte[][] shares) {
        if (xs.length != shares.length || xs.length == 0) throw new IllegalArgumentException("one point per share, at least one");
        int length = shares[0].length;
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] < 1 || xs[i] > MAX_SHARES) throw new IllegalArgumentException("a share's point is 1..255");
            if (shares[i].length != length) throw new IllegalArgumentException("shares of different lengths");
            for (int j = 0; j < i; j++) {
                if (xs[i] == xs[j]) throw new IllegalArgumentException("two shares at the same point " + xs[i]);
            }
        }
        // the Lagrange basis at 0: l_j = prod_{m != j} x_m / (x_m - x_j), and in GF(2^8) subtraction is XOR
        int[] basis = new int[xs.length];
        for (int j = 0; j < xs.length; j++) {
            int numerator = 1;
            int denominator = 1;
            for (int m = 0; m < xs.length; m++) {
                if (m == j) continue;
                numerator = multiply(numerator, xs[m]);
                denominator = multiply(denominator, xs[m] ^ xs[j]);
            }
            basis[j] = multiply(numerator, inverse(denominator));
        }
        byte[] secret = new byte[length];
        for (int b = 0; b < length; b++) {
            int s = 0;
            for (int j = 0; j < xs.length; j++) s ^= multiply(shares[j][b] & 0xff, basis[j]);
            secret[b] = (byte) s;
        }
        return secret;
    }

    /** The polynomial with these coefficients (constant term first) at {@code x}, by Horner's rule. */
    static int evaluate(byte[] coefficients, int x) {
        int y = 0;
        for (int i = coefficients.length - 1; i >= 0; i--) y = multiply(y, x) ^ (coefficients[i] & 0xff);
        return y;
    }

    /** a * b in GF(2^8), without branches on either. */
    static int multiply(int a, int b) {
        int product = 0;
        for (int i = 0; i < 8; i++) {
            product ^= -(b & 1) & a;
            int carry = -((a >> 7) & 1) & 0x1b;
            a = ((a << 1) ^ carry) & 0xff;
            b >>= 1;
        }
        return product;
    }

    /** a^-1 in GF(2^8) as a^254 (a != 0). */
    static int inverse(int a) {
        int result = 1;
        int power = a;
        for (int e = 254; e > 0; e >>= 1) {         // the exponent is public: the loop's shape does not depend on a
            if ((e & 1) == 1) result = multiply(result, power);
            power = multiply(power, power);
        }
        return result;
    }
}
