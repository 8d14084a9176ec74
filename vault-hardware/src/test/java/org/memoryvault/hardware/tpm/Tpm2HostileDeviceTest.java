package org.memoryvault.hardware.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.SlotSecret;

/**
 * Found in review: what listens where $MEMORY_VAULT_TPM points may answer anything. Every such answer
 * is a refusal of the slot (so the unlock goes on to the profile's other slots), never an internal
 * error; a bad port or malformed parameters too.
 */
class Tpm2HostileDeviceTest {
    private static final SlotSecret NOTHING = SlotSecret.of(Tpm2SlotBackend.TYPE, new byte[0]);
    private static final KeySlot SLOT = new KeySlot(2, Tpm2SlotBackend.TYPE, "", Optional.empty(),
            Tpm2SlotBackend.encode(new int[] {7}, new byte[] {0, 1, 0, 11}, new byte[] {0, 2, 1, 2}), new byte[24], new byte[48], Instant.EPOCH);

    /** A "TPM" that answers each command with {@code reply(command)} (or closes the connection for null). */
    private static void withFakeTpm(Function<byte[], byte[]> reply, java.util.function.Consumer<String> test) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            byte[] header = in.readNBytes(10);
                            if (header.length < 10) break;
                            int size = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
                            byte[] command = java.util.Arrays.copyOf(header, size);
                            in.readNBytes(command, 10, size - 10);
                            byte[] r = reply.apply(command);
                            if (r == null) break;
                            out.write(r);
                            out.flush();
                        }
                    } catch (Exception ignored) {
                        // the client went away
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            test.accept("tpm:tcp:127.0.0.1:" + server.getLocalPort());
        }
    }

    private static void refused(String device) {
        Tpm2SlotBackend backend = new Tpm2SlotBackend(device, new int[] {7}, new SecureRandom());
        assertThatThrownBy(() -> backend.open(SLOT, NOTHING)).isInstanceOf(AccessRefusedException.class);
        assertThatThrownBy(() -> backend.enrol(NOTHING, new KdfParameters(1, 8L << 20))).isInstanceOf(AccessRefusedException.class);
        assertThat(Tpm2SlotBackend.probe(device)).isPresent();
    }

    @Test
    void aTpmThatSaysSuccessWithNothingBehindIt_isRefused() throws Exception {
        // tag 0x8001, size 10, rc 0: "success" without the body every command's response has
        withFakeTpm(c -> new byte[] {(byte) 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0, 0}, Tpm2HostileDeviceTest::refused);
    }

    @Test
    void aTpmThatSendsGarbageOrHangsUp_isRefused() throws Exception {
        withFakeTpm(c -> {
            byte[] r = new byte[64];
            new SecureRandom().nextBytes(r);
            r[0] = (byte) 0x80;
            r[1] = 0x01;
            r[2] = 0;
            r[3] = 0;
            r[4] = 0;
            r[5] = 64;
            return r;
        }, Tpm2HostileDeviceTest::refused);
        withFakeTpm(c -> null, Tpm2HostileDeviceTest::refused);
    }

    @Test
    void aBadPortOrMalformedParameters_areRefusals() {
        for (String device : new String[] {"tpm:tcp:127.0.0.1:99999", "tpm:tcp:127.0.0.1:-1", "tpm:tcp:127.0.0.1:", "tpm:tcp:nohost.invalid:1"}) {
            Tpm2SlotBackend backend = new Tpm2SlotBackend(device, new int[] {7}, new SecureRandom());
            assertThatThrownBy(() -> backend.open(SLOT, NOTHING)).as(device).isInstanceOf(org.memoryvault.domain.error.VaultException.class);
        }
        KeySlot malformed = new KeySlot(2, Tpm2SlotBackend.TYPE, "", Optional.empty(), new byte[] {9}, new byte[24], new byte[48], Instant.EPOCH);
        assertThatThrownBy(() -> new Tpm2SlotBackend("tpm:tcp:127.0.0.1:1", new int[] {7}, new SecureRandom()).open(malformed, NOTHING))
                .isInstanceOf(AccessRefusedException.class).hasMessageContaining("malformed");
    }
}
