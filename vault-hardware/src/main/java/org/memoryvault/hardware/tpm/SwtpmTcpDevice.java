package org.memoryvault.hardware.tpm;

import java.io.InputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A TPM reached over TCP the way swtpm serves it ({@code swtpm socket --server type=tcp}): raw TPM
 * 2.0 command bytes in, raw response bytes out, one command at a time. (TSS.Java's own TCP device
 * speaks the Microsoft simulator's framing, which swtpm does not.)
 */
final class SwtpmTcpDevice extends RawTpmDevice {
    private final String host;
    private final int port;
    private @Nullable Socket socket;

    SwtpmTcpDevice(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public boolean connect() {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(host, port), 2000);
            socket = s;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    byte[] exchange(byte[] command) {
        Socket s = requireOpen();
        try {
            OutputStream out = s.getOutputStream();
            out.write(command);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] header = new byte[10];
            readFully(s, in, header, 0, 10);
            int size = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
            if (size < 10 || size > MAX_RESPONSE) throw new IOException("a TPM response of " + size + " bytes");
            byte[] all = Arrays.copyOf(header, size);
            readFully(s, in, all, 10, size - 10);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("the TPM at " + host + ":" + port + " did not answer", e);
        }
    }

    /** Reads exactly {@code n} bytes, each read bounded by what is left of the command's deadline (a TPM that drips bytes is cut off). */
    private void readFully(Socket s, InputStream in, byte[] into, int offset, int n) throws IOException {
        int done = 0;
        while (done < n) {
            s.setSoTimeout(millisLeft());
            int r = in.read(into, offset + done, n - done);
            if (r < 0) throw new IOException("the TPM closed the connection");
            done += r;
        }
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
    }

    private Socket requireOpen() {
        Socket s = socket;
        if (s == null) throw new IllegalStateException("not connected");
        return s;
    }
}
