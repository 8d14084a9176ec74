package org.memoryvault.hardware.fido2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;

/**
 * CTAPHID, the framing of CTAP over USB HID (CTAP 2.1 §11.2): a channel allocated with INIT, each
 * message split into one initialization packet and up to 128 continuation packets, KEEPALIVE while
 * the authenticator waits for a touch, CANCEL when the wait is given up. Everything the device sends
 * is checked (channel, command, sequence, length); anything else is a refusal, never a guess.
 */
public final class CtapHid implements AutoCloseable {
    static final int BROADCAST = 0xffffffff;
    static final byte PING = 0x01;
    static final byte MSG = 0x03;
    static final byte INIT = 0x06;
    static final byte CBOR = 0x10;
    static final byte CANCEL = 0x11;
    static final byte KEEPALIVE = 0x3b;
    static final byte ERROR = 0x3f;
    static final int MAX_MESSAGE = 57 + 128 * 59;
    private static final int INIT_DATA = HidReports.REPORT_SIZE - 7;
    private static final int CONT_DATA = HidReports.REPORT_SIZE - 5;

    private final HidReports device;
    private final int channel;
    private final int replyMillis;
    private final long touchMillis;
    private long hardDeadline;

    private CtapHid(HidReports device, int channel, int replyMillis, long touchMillis) {
        this.device = device;
        this.channel = channel;
        this.replyMillis = replyMillis;
        this.touchMillis = touchMillis;
    }

    /**
     * Allocates a channel on {@code device} (INIT on the broadcast channel, answered with our nonce).
     * {@code replyMillis} bounds the wait for each packet, {@code touchMillis} the whole wait for a touch.
     */
    public static CtapHid open(HidReports device, SecureRandom random, int replyMillis, long touchMillis) {
        Objects.requireNonNull(device, "device");
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        CtapHid broadcast = new CtapHid(device, BROADCAST, replyMillis, touchMillis);
        byte[] reply = broadcast.transact(INIT, nonce, () -> false);
        // CTAP 2.1 §11.2.9.1.3: an INIT answer with another nonce is some other program's: skip it (until the deadline)
        while (reply.length < 8 || !Arrays.equals(Arrays.copyOf(reply, 8), nonce)) reply = broadcast.next(INIT);
        if (reply.length < 17) throw refused("the authenticator answered INIT with " + reply.length + " bytes, not 17");
        int cid = ByteBuffer.wrap(reply, 8, 4).getInt();
        if (cid == 0 || cid == BROADCAST) throw refused("the authenticator allocated the reserved channel " + Integer.toHexString(cid));
        if ((reply[16] & 0x04) == 0) throw refused("the authenticator does not speak CTAP2 (no CBOR capability)");
        return new CtapHid(device, cid, replyMillis, touchMillis);
    }

    /** One CTAP2 request: the command byte and its CBOR, answered by a status byte and CBOR. */
    public byte[] cbor(byte[] request, BooleanSupplier cancelled) {
        return transact(CBOR, request, cancelled);
    }

    /** PING: the device echoes the bytes (a framing check). */
    public byte[] ping(byte[] data) {
        return transact(PING, data, () -> false);
    }

    int channel() { return channel; }

    /** The next whole message, which must be {@code command}'s answer (after an INIT whose answer was not ours). */
    private byte[] next(byte command) {
        Message m = receive();
        if (m.command != command) throw refused("the authenticator answered INIT with command 0x" + Integer.toHexString(m.command & 0xff));
        return m.data;
    }

    private byte[] transact(byte command, byte[] data, BooleanSupplier cancelled) {
        send(command, data);
        long touchDeadline = System.nanoTime() + touchMillis * 1_000_000L;
        hardDeadline = touchDeadline + 2L * replyMillis * 1_000_000L;    // a device that floods us cannot hold us longer
        boolean cancelSent = false;
        while (true) {
            Message m = receive();
            if (m.command == KEEPALIVE) {
                if (System.nanoTime() > touchDeadline && !cancelSent) {
                    send(CANCEL, new byte[0]);
                    cancelSent = true;
                } else if (!cancelSent && cancelled.getAsBoolean()) {
                    send(CANCEL, new byte[0]);
                    cancelSent = true;
                }
                continue;
            }
            if (m.command == ERROR) {
                int code = m.data.length > 0 ? m.data[0] & 0xff : -1;
                throw refused("the authenticator reported CTAPHID error 0x" + Integer.toHexString(code));
            }
            if (m.command != command) {
                throw refused("the authenticator answered command 0x" + Integer.toHexString(command) + " with 0x"
                        + Integer.toHexString(m.command & 0xff));
            }
            return m.data;
        }
    }

    private void send(byte command, byte[] data) {
        if (data.length > MAX_MESSAGE) throw refused("a CTAPHID message of " + data.length + " bytes is more than a key takes");
        byte[] p = new byte[HidReports.REPORT_SIZE];
        ByteBuffer.wrap(p).putInt(channel).put((byte) (command | 0x80)).putShort((short) data.length);
        int n = Math.min(INIT_DATA, data.length);
        System.arraycopy(data, 0, p, 7, n);
        device.write(p);
        for (int seq = 0, off = n; off < data.length; seq++, off += CONT_DATA) {
            byte[] c = new byte[HidReports.REPORT_SIZE];
            ByteBuffer.wrap(c).putInt(channel).put((byte) seq);
            System.arraycopy(data, off, c, 5, Math.min(CONT_DATA, data.length - off));
            device.write(c);
        }
    }

    /** One whole message on our channel (packets on other channels belong to other programs and are skipped). */
    private Message receive() {
        byte[] first;
        while (true) {
            first = next();
            if (cid(first) == channel && (first[4] & 0x80) != 0) break;
            if (cid(first) == channel) throw refused("the authenticator sent a continuation packet where a message should start");
        }
        byte command = (byte) (first[4] & 0x7f);
        int length = ((first[5] & 0xff) << 8) | (first[6] & 0xff);
        if (length > MAX_MESSAGE) throw refused("the authenticator announced a " + length + "-byte message (at most " + MAX_MESSAGE + ")");
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        out.write(first, 7, Math.min(INIT_DATA, length));
        for (int seq = 0; out.size() < length; seq++) {
            byte[] c = next();
            if (cid(c) != channel) continue;
            if ((c[4] & 0x80) != 0 || c[4] != seq) {
                throw refused("the authenticator sent packet " + (c[4] & 0xff) + " where continuation " + seq + " belongs");
            }
            out.write(c, 5, Math.min(CONT_DATA, length - out.size()));
        }
        return new Message(command, out.toByteArray());
    }

    private byte[] next() {
        if (System.nanoTime() > hardDeadline) {
            throw refused("no answer from the authenticator within " + (touchMillis + 2L * replyMillis) / 1000 + " s (no touch?)");
        }
        byte[] r = device.read(replyMillis);
        if (r == null) throw refused("the authenticator did not answer within " + replyMillis + " ms");
        if (r.length != HidReports.REPORT_SIZE) throw refused("the authenticator sent a " + r.length + "-byte report");
        return r;
    }

    private static int cid(byte[] packet) { return ByteBuffer.wrap(packet, 0, 4).getInt(); }

    private static AccessRefusedException refused(String why) {
        return new AccessRefusedException(ErrorCode.ACCESS_TOKEN, why);
    }

    @Override public void close() { device.close(); }

    private static final class Message {
        final byte command;
        final byte[] data;

        Message(byte command, byte[] data) {
            this.command = command;
            this.data = data;
        }
    }
}
