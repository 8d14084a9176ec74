package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.InvalidInputException;

/** Shamir over GF(2^8) (docs/FORMAT.md §15): any k of n shares recover; k-1 leave every secret possible. */
class ShamirProperties {
    record Split(byte[] secret, int k, int n, long seed) {}

    @Provide
    Arbitrary<Split> splits() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64),
                Arbitraries.integers().between(2, 12), Arbitraries.integers().between(0, 10), Arbitraries.longs())
                .as((secret, k, extra, seed) -> new Split(secret, k, Math.min(255, k + extra), seed));
    }

    /** A random subset of the share points 1..n of the given size. */
    static List<Integer> points(int n, int size, Random r) {
        List<Integer> all = new ArrayList<>();
        for (int x = 1; x <= n; x++) all.add(x);
        Collections.shuffle(all, r);
        return all.subList(0, size);
    }

    static byte[] combine(byte[][] shares, List<Integer> xs) {
        int[] points = xs.stream().mapToInt(Integer::intValue).toArray();
        byte[][] chosen = new byte[points.length][];
        for (int i = 0; i < points.length; i++) chosen[i] = shares[points[i] - 1];
        return Shamir.combine(points, chosen);
    }

    @Property(tries = 300)
    void anyKOrMoreOfTheNShares_recoverTheSecret(@ForAll("splits") Split s) {
        Random r = new Random(s.seed());
        byte[][] shares = Shamir.split(s.secret(), s.k(), s.n(), new SecureRandom());
        assertThat(shares).hasNumberOfRows(s.n());
        for (byte[] share : shares) assertThat(share).hasSize(s.secret().length);
        int size = s.k() + r.nextInt(s.n() - s.k() + 1);
        assertThat(combine(shares, points(s.n(), size, r))).isEqualTo(s.secret());
        assertThat(combine(shares, points(s.n(), s.k(), r))).isEqualTo(s.secret());
    }

    @Property(tries = 200)
    void kMinusOneShares_leaveEverySecretEquallyPossible(@ForAll("splits") Split s) {
        Random r = new Random(s.seed());
        byte[][] shares = Shamir.split(s.secret(), s.k(), s.n(), new SecureRandom());
        List<Integer> xs = new ArrayList<>(points(s.n(), s.k() - 1, r));
        int fresh = 1;
        while (xs.contains(fresh)) fresh++;                  // a point none of the k-1 holds (at most 254 are held)
        // with the k-1 shares fixed, each of the 256 values a k-th share could have gives a different first secret
        // byte: every secret is consistent with what k-1 shares show, once each, so they tell nothing about it
        Set<Integer> secrets = new HashSet<>();
        byte[][] withGuess = new byte[s.k()][];
        int[] points = new int[s.k()];
        for (int i = 0; i < s.k() - 1; i++) {
            points[i] = xs.get(i);
            withGuess[i] = new byte[] {shares[xs.get(i) - 1][0]};
        }
        points[s.k() - 1] = fresh;
        for (int v = 0; v < 256; v++) {
            withGuess[s.k() - 1] = new byte[] {(byte) v};
            secrets.add(Shamir.combine(points, withGuess)[0] & 0xff);
        }
        assertThat(secrets).hasSize(256);
    }

    @Property(tries = 200)
    void aChangedShareByte_changesTheRecoveredSecret(@ForAll("splits") Split s) {
        Random r = new Random(s.seed());
        byte[][] shares = Shamir.split(s.secret(), s.k(), s.n(), new SecureRandom());
        List<Integer> xs = points(s.n(), s.k(), r);
        int victim = xs.get(r.nextInt(xs.size())) - 1;
        int at = r.nextInt(s.secret().length);
        shares[victim][at] ^= (byte) (1 + r.nextInt(255));
        // exactly k shares: the basis coefficients are non-zero, so the byte at `at` differs and no other does
        byte[] got = combine(shares, xs);
        assertThat(got[at]).isNotEqualTo(s.secret()[at]);
        for (int b = 0; b < got.length; b++) if (b != at) assertThat(got[b]).isEqualTo(s.secret()[b]);
    }

    @Test
    void fieldArithmetic_isAesGf256() {
        assertThat(Shamir.multiply(0x53, 0xca)).isEqualTo(0x01);    // FIPS-197 §4.2: {53}{ca} = {01}
        assertThat(Shamir.multiply(0x57, 0x83)).isEqualTo(0xc1);    // FIPS-197 §4.2: {57}{83} = {c1}
        for (int a = 1; a < 256; a++) {
            assertThat(Shamir.multiply(a, Shamir.inverse(a))).as("a=%d", a).isEqualTo(1);
            for (int b = 0; b < 256; b++) assertThat(Shamir.multiply(a, b)).isEqualTo(Shamir.multiply(b, a));
        }
    }

    @Test
    void thresholdsOutsideTwoToN_areRefused() {
        SecureRandom random = new SecureRandom();
        assertThatThrownBy(() -> Shamir.split(new byte[] {1}, 1, 3, random)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Shamir.split(new byte[] {1}, 4, 3, random)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Shamir.split(new byte[] {1}, 2, 256, random)).isInstanceOf(InvalidInputException.class);
        assertThat(Shamir.split(new byte[] {1}, 255, 255, random)).hasNumberOfRows(255);
    }
}
