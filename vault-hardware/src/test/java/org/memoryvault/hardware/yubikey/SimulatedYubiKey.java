package org.memoryvault.hardware.yubikey;

import java.util.Arrays;
import org.memoryvault.hardware.totp.Totp;

/**
 * TEST ONLY: a YubiKey's OTP interface at the feature-report level, speaking the frame protocol
 * byte for byte (as {@link YubiKeyFrames} describes it): it takes a command frame in 7-byte parts
 * marked {@code 0x80 | seq}, checks the frame's CRC, answers HMAC-SHA1 of the 64-byte challenge
 * under the secret of configuration slot 1 or 2 in parts marked {@code 0x40 | seq} with the
 * complemented CRC appended, ends with a part of sequence 0, and, for a slot that requires a touch,
 * reports {@code 0x20} until {@link #touch()}. A frame with a bad CRC, or for an unconfigured slot,
 * is ignored, as a key does.
 */
public final class SimulatedYubiKey implements FeatureReports {
    private final byte[][] secrets = new byte[3][];
    private final boolean[] touchRequired = new boolean[3];
    private final byte[] frame = new byte[YubiKeyFrames.FRAME_BYTES];
    private byte[] answer = new byte[0];
    private int answerPart;
    private boolean waitingForTouch;
    private boolean touched;
    private int challengesAnswered;

    /** Programs configuration slot 1 or 2 with a 20-byte HMAC-SHA1 secret. */
    public SimulatedYubiKey program(int slot, byte[] secret, boolean requireTouch) {
        secrets[slot] = secret.clone();
        touchRequired[slot] = requireTouch;
        return this;
    }

    /** The button: a pending challenge that waits for a touch is answered. */
    public synchronized void touch() { touched = true; }

    public synchronized int challengesAnswered() { return challengesAnswered; }

    @Override
    public synchronized byte[] get() {
        byte[] report = new byte[REPORT_SIZE];
        if (waitingForTouch) {
            if (!touched) {
                report[7] = (byte) YubiKeyFrames.RESP_TIMEOUT_WAIT_FLAG;
                return report;
            }
            waitingForTouch = false;
        }
        if (answer.length > 0) {
            int parts = answer.length / 7;
            if (answerPart < parts) {
                System.arraycopy(answer, answerPart * 7, report, 0, 7);
                report[7] = (byte) (YubiKeyFrames.RESP_PENDING_FLAG | answerPart);
                answerPart++;
            } else {
                report[7] = (byte) YubiKeyFrames.RESP_PENDING_FLAG;    // sequence back to 0: the end
            }
            return report;
        }
        report[1] = 5;                                                   // status: firmware 5.4.3, programming sequence 1
        report[2] = 4;
        report[3] = 3;
        report[4] = 1;
        return report;
    }

    @Override
    public synchronized void send(byte[] report) {
        if (report.length != REPORT_SIZE) throw new IllegalArgumentException("a feature report is 8 bytes");
        int last = report[7] & 0xff;
        if (last == YubiKeyFrames.DUMMY_REPORT_WRITE) {
            answer = new byte[0];
            answerPart = 0;
            waitingForTouch = false;
            return;
        }
        if ((last & YubiKeyFrames.SLOT_WRITE_FLAG) == 0) return;
        int seq = last & 0x1f;
        if (seq * 7 >= YubiKeyFrames.FRAME_BYTES) return;
        if (seq == 0) Arrays.fill(frame, (byte) 0);
        System.arraycopy(report, 0, frame, seq * 7, 7);
        if ((seq + 1) * 7 >= YubiKeyFrames.FRAME_BYTES) execute();
    }

    private void execute() {
        int crc = (frame[65] & 0xff) | ((frame[66] & 0xff) << 8);
        if (crc != YubiKeyFrames.crc16(frame, YubiKeyFrames.CHALLENGE_BYTES)) return;
        int command = frame[64] & 0xff;
        int slot = command == 0x30 ? 1 : command == 0x38 ? 2 : 0;
        if (slot == 0 || secrets[slot] == null) return;
        byte[] mac = Totp.hmac(Totp.Algorithm.SHA1, secrets[slot], Arrays.copyOf(frame, YubiKeyFrames.CHALLENGE_BYTES));
        byte[] out = new byte[28];
        System.arraycopy(mac, 0, out, 0, 20);
        int check = ~YubiKeyFrames.crc16(mac, 20) & 0xffff;
        out[20] = (byte) check;
        out[21] = (byte) (check >>> 8);
        answer = out;
        answerPart = 0;
        challengesAnswered++;
        waitingForTouch = touchRequired[slot];
        touched = false;
    }
}
