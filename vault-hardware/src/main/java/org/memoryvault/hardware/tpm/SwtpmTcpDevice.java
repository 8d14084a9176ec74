package org.memoryvault.hardware.tpm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tss.TpmDevice;

/**
 * A TPM reached over TCP the way swtpm serves it ({@code swtpm socket --server type=tcp}): raw TPM
 * 2.0 command bytes in, raw response bytes out, one command at a time. (TSS.Java's own TCP device
 * speaks the Microsoft simulator's framing, which swtpm does not.)
 */
final class SwtpmTcpDevice extends TpmDevice {
    private static final int MAX_RESPONSE = 64 * 1024;
    private final String host;
    private final int port;
    private @Nullable Socket socket;
    private byte @Nullable [] response;

    SwtpmTcpDevice(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public boolean connect() {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(30_000);
            socket = s;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void dispatchCommand(byte[] command) {
        Socket s = requireOpen();
        try {
            OutputStream out = s.getOutputStream();
            out.write(command);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] header = new byte[10];
            in.readFully(header);
            int size = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
            if (size < 10 || size > MAX_RESPONSE) throw new IOException("a TPM response of " + size + " bytes");
            byte[] all = Arrays.copyOf(header, size);
            in.readFully(all, 10, size - 10);
            response = all;
        } catch (IOException e) {
            throw new UncheckedIOException("the TPM at " + host + ":" + port + " did not answer", e);
        }
    }

    @Override
    public byte[] getResponse() {
        byte[] r = response;
        if (r == null) throw new IllegalStateException("no TPM command was sent");
        response = null;
        return r;
    }

    @Override public boolean responseReady() { return response != null; }

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
