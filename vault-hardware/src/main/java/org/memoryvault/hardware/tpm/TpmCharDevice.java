package org.memoryvault.hardware.tpm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tss.TpmDevice;

/**
 * A TPM character device at the path the owner configured ({@code /dev/tpmrm0}, the kernel's resource
 * manager, or another): a command is one write, its response one read. (TSS.Java's own Linux device
 * ignores the path and tries its two defaults, printing to stderr.)
 */
final class TpmCharDevice extends TpmDevice {
    private static final int MAX_RESPONSE = 64 * 1024;
    private final Path path;
    private @Nullable RandomAccessFile file;
    private byte @Nullable [] response;

    TpmCharDevice(Path path) { this.path = path; }

    @Override
    public boolean connect() {
        try {
            file = new RandomAccessFile(path.toFile(), "rw");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void dispatchCommand(byte[] command) {
        RandomAccessFile f = file;
        if (f == null) throw new IllegalStateException("not connected");
        try {
            f.write(command);
            byte[] buffer = new byte[MAX_RESPONSE];
            int n = f.read(buffer);
            if (n < 10) throw new IOException("a TPM response of " + n + " bytes");
            response = Arrays.copyOf(buffer, n);
        } catch (IOException e) {
            throw new UncheckedIOException("the TPM at " + path + " did not answer", e);
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
        RandomAccessFile f = file;
        file = null;
        if (f == null) return;
        try {
            f.close();
        } catch (IOException ignored) {
            // closing a device we are done with
        }
    }
}
