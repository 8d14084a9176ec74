package org.memoryvault.hardware.yubikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.hardware.totp.Totp;

/** The frame protocol against the simulated key: real frames, real CRCs, real HMAC-SHA1. */
class YubiKeyFramesTest {
    private static final byte[] SECRET = "yubikey slot secret!".getBytes(StandardCharsets.US_ASCII);   // 20 bytes

    private static byte[] challenge(int fill) {
        byte[] c = new byte[64];
        for (int i = 0; i < 64; i++) c[i] = (byte) (fill + i);
        return c;
    }

    @Test
    void crc16HasTheResidualTheKeyChecks() {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        int crc = YubiKeyFrames.crc16(data, data.length);
        byte[] withCrc = java.util.Arrays.copyOf(data, data.length + 2);
        int sent = ~crc & 0xffff;
        withCrc[data.length] = (byte) sent;
        withCrc[data.length + 1] = (byte) (sent >>> 8);
        assertThat(YubiKeyFrames.crc16(withCrc, withCrc.length)).isEqualTo(YubiKeyFrames.CRC_OK_RESIDUAL);
    }

    @Test
    void theResponseIsHmacSha1OfTheChallenge_inEitherSlot() {
        SimulatedYubiKey key = new SimulatedYubiKey().program(1, SECRET, false).program(2, "another slot secret!".getBytes(StandardCharsets.US_ASCII), false);
        YubiKeyFrames frames = new YubiKeyFrames(key, Duration.ofSeconds(1));
        byte[] c = challenge(7);
        assertThat(frames.challengeResponse(1, c)).isEqualTo(Totp.hmac(Totp.Algorithm.SHA1, SECRET, c));
        assertThat(frames.challengeResponse(2, c)).isNotEqualTo(frames.challengeResponse(1, c));
        assertThat(key.challengesAnswered()).isEqualTo(3);
        // an all-zero challenge: the parts of zeros between the first and the last are skipped
        assertThat(frames.challengeResponse(1, new byte[64])).isEqualTo(Totp.hmac(Totp.Algorithm.SHA1, SECRET, new byte[64]));
    }

    @Test
    void aKeyThatWaitsForATouch_answersOnceTouched_andTimesOutOtherwise() throws Exception {
        SimulatedYubiKey key = new SimulatedYubiKey().program(2, SECRET, true);
        CompletableFuture<byte[]> pending = CompletableFuture.supplyAsync(() -> new YubiKeyFrames(key, Duration.ofSeconds(10))
                .challengeResponse(2, challenge(1)));
        Thread.sleep(300);
        assertThat(pending).isNotDone();
        key.touch();
        assertThat(pending.get()).isEqualTo(Totp.hmac(Totp.Algorithm.SHA1, SECRET, challenge(1)));

        assertThatThrownBy(() -> new YubiKeyFrames(key, Duration.ofMillis(200)).challengeResponse(2, challenge(2)))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("not touched within");
    }

    @Test
    void anUnprogrammedSlot_getsNoAnswer_andARefusal() {
        SimulatedYubiKey key = new SimulatedYubiKey().program(2, SECRET, false);
        assertThatThrownBy(() -> new YubiKeyFrames(key, Duration.ofSeconds(1)).challengeResponse(1, challenge(3)))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("did not answer");
    }
}
