package org.memoryvault.hardware.yubikey;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;

/**
 * The YubiKey's frame protocol on feature reports, for HMAC-SHA1 challenge-response:
 *
 * <ul>
 *   <li>A command is a 70-byte frame: a 64-byte payload, the command byte (0x30 slot 1, 0x38 slot
 *       2), the CRC-16 of the payload (ISO 13239: init 0xffff, reflected polynomial 0x8408), little
 *       endian, and 3 zero bytes. It goes out as ten reports of 7 frame bytes and a last byte of
 *       {@code 0x80 | sequence}; the key clears 0x80 in its status once it took a report. Reports
 *       of zeros between the first and the last are skipped.</li>
 *   <li>The key answers in reports whose last byte has 0x40 (response pending) and a sequence in
 *       its low 5 bits; 0x20 means it waits for a touch. The answer is the 20-byte HMAC and its
 *       complemented CRC-16, so the CRC over all 22 bytes is the residual 0xf0b8. A report whose
 *       sequence is back to 0 ends it; writing a report ending in 0x8f resets the key's read mode.</li>
 * </ul>
 */
public final class YubiKeyFrames {
    public static final int CHALLENGE_BYTES = 64;
    public static final int RESPONSE_BYTES = 20;
    static final int FRAME_BYTES = 70;
    static final int SLOT_WRITE_FLAG = 0x80;
    static final int RESP_PENDING_FLAG = 0x40;
    static final int RESP_TIMEOUT_WAIT_FLAG = 0x20;
    static final int DUMMY_REPORT_WRITE = 0x8f;
    static final int CRC_OK_RESIDUAL = 0xf0b8;

    private final FeatureReports device;
    private final Duration touchTimeout;

    public YubiKeyFrames(FeatureReports device, Duration touchTimeout) {
        this.device = Objects.requireNonNull(device, "device");
        this.touchTimeout = Objects.requireNonNull(touchTimeout, "touchTimeout");
    }

    /** The command byte of HMAC-SHA1 challenge-response in configuration slot 1 or 2. */
    public static int hmacCommand(int slot) {
        if (slot != 1 && slot != 2) throw new IllegalArgumentException("a YubiKey has configuration slots 1 and 2");
        return slot == 1 ? 0x30 : 0x38;
    }

    /** CRC-16 as the YubiKey computes it (ISO 13239). */
    public static int crc16(byte[] data, int length) {
        int crc = 0xffff;
        for (int i = 0; i < length; i++) {
            crc ^= data[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                boolean low = (crc & 1) != 0;
                crc >>>= 1;
                if (low) crc ^= 0x8408;
            }
        }
        return crc;
    }

    /**
     * Sends a 64-byte challenge to a slot and returns the key's 20-byte HMAC-SHA1 response (the caller
     * wipes it). A key that waits for a touch gets {@code touchTimeout}; then, or on a garbled
     * answer, the exchange is refused ({@code ACCESS_TOKEN}).
     */
    public byte[] challengeResponse(int slot, byte[] challenge) {
        if (challenge.length != CHALLENGE_BYTES) throw new IllegalArgumentException("the challenge is 64 bytes");
        byte[] frame = new byte[FRAME_BYTES];
        System.arraycopy(challenge, 0, frame, 0, CHALLENGE_BYTES);
        frame[64] = (byte) hmacCommand(slot);
        int crc = crc16(frame, CHALLENGE_BYTES);
        frame[65] = (byte) crc;
        frame[66] = (byte) (crc >>> 8);
        byte[] response = new byte[28];
        try {
            write(frame);
            return read(response);
        } finally {
            Arrays.fill(frame, (byte) 0);
            Arrays.fill(response, (byte) 0);
        }
    }

    private void write(byte[] frame) {
        byte[] report = new byte[FeatureReports.REPORT_SIZE];
        for (int seq = 0; seq * 7 < FRAME_BYTES; seq++) {
            System.arraycopy(frame, seq * 7, report, 0, 7);
            boolean zeros = true;
            for (int i = 0; i < 7; i++) zeros &= report[i] == 0;
            if (zeros && seq > 0 && (seq + 1) * 7 < FRAME_BYTES) continue;
            report[7] = (byte) (SLOT_WRITE_FLAG | seq);
            waitUntil(status -> (status & SLOT_WRITE_FLAG) == 0, Duration.ofMillis(1150), "take the challenge");
            device.send(report.clone());
        }
        Arrays.fill(report, (byte) 0);
    }

    private byte[] read(byte[] response) {
        byte[] first = waitUntil(status -> (status & RESP_PENDING_FLAG) != 0, Duration.ofSeconds(1), "answer");
        if ((first[7] & 0x1f) != 0) {
            reset();
            throw refused("the YubiKey's response did not start at its first part");
        }
        System.arraycopy(first, 0, response, 0, 7);
        int have = 7;
        while (true) {
            byte[] report = device.get();
            if (report.length != FeatureReports.REPORT_SIZE) {
                reset();
                throw refused("the YubiKey sent a report of " + report.length + " bytes");
            }
            int status = report[7] & 0xff;
            if ((status & RESP_PENDING_FLAG) == 0) {
                reset();
                throw refused("the YubiKey stopped answering in the middle of its response");
            }
            if ((status & 0x1f) == 0) break;
            if (have + 7 > response.length) {
                reset();
                throw refused("the YubiKey's response is longer than an HMAC-SHA1");
            }
            System.arraycopy(report, 0, response, have, 7);
            have += 7;
        }
        reset();
        if (have != response.length || crc16(response, RESPONSE_BYTES + 2) != CRC_OK_RESIDUAL) {
            throw refused("the YubiKey's response failed its checksum");
        }
        return Arrays.copyOf(response, RESPONSE_BYTES);
    }

    /** Polls the status byte until {@code done}, allowing {@code touchTimeout} more while the key waits for a touch. */
    private byte[] waitUntil(java.util.function.IntPredicate done, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean touching = false;
        long sleep = 1;
        while (true) {
            byte[] report = device.get();
            if (report.length != FeatureReports.REPORT_SIZE) throw refused("the YubiKey sent a report of " + report.length + " bytes");
            int status = report[7] & 0xff;
            if (done.test(status)) return report;
            if ((status & RESP_TIMEOUT_WAIT_FLAG) != 0 && !touching) {
                touching = true;
                deadline = System.nanoTime() + touchTimeout.toNanos();
            }
            if (System.nanoTime() > deadline) {
                reset();
                throw refused(touching ? "the YubiKey was not touched within " + touchTimeout.toSeconds() + " s"
                        : "the YubiKey did not " + what + " in time");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refused("interrupted while waiting for the YubiKey");
            }
            sleep = Math.min(sleep * 2, 100);
        }
    }

    private void reset() {
        byte[] report = new byte[FeatureReports.REPORT_SIZE];
        report[7] = (byte) DUMMY_REPORT_WRITE;
        device.send(report);
    }

    private static AccessRefusedException refused(String why) { return new AccessRefusedException(ErrorCode.ACCESS_TOKEN, why); }
}
