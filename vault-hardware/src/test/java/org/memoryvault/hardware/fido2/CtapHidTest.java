package org.memoryvault.hardware.fido2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;

/** CTAPHID framing against the simulated authenticator, and what a hostile device sends refused. */
class CtapHidTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SimulatedAuthenticator device = new SimulatedAuthenticator();
    private final CtapHid hid = CtapHid.open(device, RANDOM, 1_000, 2_000);

    @Test
    void messagesOfEverySizeAtThePacketBoundariesRoundTrip() {
        for (int n : new int[] {0, 1, 57, 58, 116, 117, 1000, CtapHid.MAX_MESSAGE}) {
            byte[] data = new byte[n];
            RANDOM.nextBytes(data);
            assertThat(hid.ping(data)).as("%d bytes", n).isEqualTo(data);
        }
    }

    @Test
    void theChannelIsTheAllocatedOneAndEveryPacketIs64Bytes() {
        hid.ping(new byte[200]);
        assertThat(hid.channel()).isNotIn(0, CtapHid.BROADCAST);
        assertThat(device.written()).allSatisfy(p -> assertThat(p).hasSize(HidReports.REPORT_SIZE));
        // INIT went to the broadcast channel, everything after to ours
        assertThat(ByteBuffer.wrap(device.written().get(0)).getInt()).isEqualTo(CtapHid.BROADCAST);
        assertThat(ByteBuffer.wrap(device.written().get(1)).getInt()).isEqualTo(hid.channel());
    }

    @Test
    void aContinuationOutOfSequenceIsRefused() {
        device.injectReply(packet(hid.channel(), (byte) (CtapHid.PING | 0x80), 100));
        device.injectReply(continuation(hid.channel(), 5));
        assertThatThrownBy(() -> hid.ping(new byte[100])).isInstanceOf(AccessRefusedException.class)
                .hasMessageContaining("where continuation 0 belongs");
    }

    @Test
    void anOverlongMessageIsRefusedBeforeItIsRead() {
        device.injectReply(packet(hid.channel(), (byte) (CtapHid.PING | 0x80), CtapHid.MAX_MESSAGE + 1));
        assertThatThrownBy(() -> hid.ping(new byte[1])).isInstanceOf(AccessRefusedException.class).hasMessageContaining("at most");
    }

    @Test
    void anAnswerToAnotherCommandIsRefused() {
        device.injectReply(packet(hid.channel(), (byte) (CtapHid.CBOR | 0x80), 1));
        assertThatThrownBy(() -> hid.ping(new byte[1])).isInstanceOf(AccessRefusedException.class).hasMessageContaining("answered command");
    }

    @Test
    void packetsOnOtherChannelsAreSkipped() {
        device.injectReply(packet(hid.channel() + 1, (byte) (CtapHid.PING | 0x80), 3));
        byte[] data = {1, 2, 3};
        assertThat(hid.ping(data)).isEqualTo(data);
    }

    @Test
    void aCtaphidErrorIsARefusalThatNamesIt() {
        byte[] error = packet(hid.channel(), (byte) (CtapHid.ERROR | 0x80), 1);
        error[7] = 0x0b;
        device.injectReply(error);
        assertThatThrownBy(() -> hid.ping(new byte[1])).isInstanceOf(AccessRefusedException.class).hasMessageContaining("0xb");
    }

    @Test
    void aDeviceThatStaysSilentIsRefused() {
        HidReports silent = new HidReports() {
            @Override public void write(byte[] report) {}

            @Override public byte[] read(int timeoutMillis) { return null; }
        };
        assertThatThrownBy(() -> CtapHid.open(silent, RANDOM, 10, 10)).isInstanceOf(AccessRefusedException.class)
                .hasMessageContaining("did not answer");
    }

    @Test
    void anInitAnswerWithAnotherNonceIsSomeoneElses_andIsSkipped() {
        SimulatedAuthenticator shared = new SimulatedAuthenticator();
        byte[] reply = packet(CtapHid.BROADCAST, (byte) (CtapHid.INIT | 0x80), 17);
        reply[7] = 1;                                          // a nonce that is not ours: another program's INIT
        shared.injectReply(reply);
        CtapHid opened = CtapHid.open(shared, RANDOM, 1_000, 1_000);
        assertThat(opened.ping(new byte[] {7})).containsExactly(7);
    }

    @Test
    void aDeviceThatNeverEchoesOurNonceIsRefusedAtTheDeadline() {
        HidReports liar = new HidReports() {
            @Override public void write(byte[] report) {}

            @Override public byte[] read(int timeoutMillis) {
                byte[] r = packet(CtapHid.BROADCAST, (byte) (CtapHid.INIT | 0x80), 17);
                r[7] = 1;
                return r;
            }
        };
        assertThatThrownBy(() -> CtapHid.open(liar, RANDOM, 10, 10)).isInstanceOf(AccessRefusedException.class)
                .hasMessageContaining("no answer");
    }

    private static byte[] packet(int cid, byte command, int length) {
        byte[] p = new byte[HidReports.REPORT_SIZE];
        ByteBuffer.wrap(p).putInt(cid).put(command).putShort((short) length);
        return p;
    }

    private static byte[] continuation(int cid, int seq) {
        byte[] p = new byte[HidReports.REPORT_SIZE];
        ByteBuffer.wrap(p).putInt(cid).put((byte) seq);
        return p;
    }
}
