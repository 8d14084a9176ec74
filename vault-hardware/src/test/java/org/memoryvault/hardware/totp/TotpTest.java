package org.memoryvault.hardware.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {
    private static final byte[] SEED20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED32 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED64 = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    /** RFC 4226 appendix D. */
    @Test
    void hotpMatchesTheRfc4226Vectors() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
        for (int counter = 0; counter < expected.length; counter++) {
            assertThat(Totp.hotp(SEED20, counter, Totp.Algorithm.SHA1, 6)).as("counter " + counter).isEqualTo(expected[counter]);
        }
    }

    /** RFC 6238 appendix B (8 digits, 30-second steps; the seed of each hash is its length's ASCII digits). */
    @ParameterizedTest
    @CsvSource({
        "59, 94287082, 46119246, 90693936",
        "1111111109, 07081804, 68084774, 25091201",
        "1111111111, 14050471, 67062674, 99943326",
        "1234567890, 89005924, 91819424, 93441116",
        "2000000000, 69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826",
    })
    void totpMatchesTheRfc6238Vectors(long seconds, String sha1, String sha256, String sha512) {
        Instant t = Instant.ofEpochSecond(seconds);
        assertThat(Totp.code(SEED20, new Totp.Parameters(Totp.Algorithm.SHA1, 8, 30), t)).isEqualTo(sha1);
        assertThat(Totp.code(SEED32, new Totp.Parameters(Totp.Algorithm.SHA256, 8, 30), t)).isEqualTo(sha256);
        assertThat(Totp.code(SEED64, new Totp.Parameters(Totp.Algorithm.SHA512, 8, 30), t)).isEqualTo(sha512);
    }

    @Test
    void aCodeIsAcceptedOneStepEitherSideAndNeverTwice() {
        Totp.Parameters p = new Totp.Parameters(Totp.Algorithm.SHA1, 8, 30);
        Instant now = Instant.ofEpochSecond(1111111111);
        long step = Totp.step(now, 30);
        assertThat(Totp.accept(SEED20, p, "14050471", now, Long.MIN_VALUE)).isEqualTo(OptionalLong.of(step));
        assertThat(Totp.accept(SEED20, p, "14050471", now, step)).as("replayed").isEmpty();
        String previous = Totp.hotp(SEED20, step - 1, Totp.Algorithm.SHA1, 8);
        String next = Totp.hotp(SEED20, step + 1, Totp.Algorithm.SHA1, 8);
        String twoAhead = Totp.hotp(SEED20, step + 2, Totp.Algorithm.SHA1, 8);
        assertThat(Totp.accept(SEED20, p, previous, now, Long.MIN_VALUE)).isEqualTo(OptionalLong.of(step - 1));
        assertThat(Totp.accept(SEED20, p, previous, now, step)).as("older than the last accepted").isEmpty();
        assertThat(Totp.accept(SEED20, p, next, now, step)).isEqualTo(OptionalLong.of(step + 1));
        assertThat(Totp.accept(SEED20, p, twoAhead, now, Long.MIN_VALUE)).as("outside the window").isEmpty();
        assertThat(Totp.accept(SEED20, p, "1405047", now, Long.MIN_VALUE)).as("too short").isEmpty();
        assertThat(Totp.accept(SEED20, p, "", now, Long.MIN_VALUE)).isEmpty();
    }

    @Test
    void enrolmentUriCarriesTheSecretInBase32() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");   // RFC 4648 §10, unpadded
        assertThat(Totp.base32Decode("MZXW6YTBOI")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThat(Totp.uri("owner@host", SEED20, Totp.Parameters.DEFAULT)).isEqualTo(
                "otpauth://totp/Memory%20Vault:owner%40host?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Memory%20Vault"
                        + "&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void parametersAreChecked() {
        assertThatThrownBy(() -> new Totp.Parameters(Totp.Algorithm.SHA1, 5, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp.Parameters(Totp.Algorithm.SHA1, 9, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Totp.Algorithm.parse("MD5")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Totp.Algorithm.parse("sha256")).isEqualTo(Totp.Algorithm.SHA256);
    }
}
