package org.memoryvault.hardware.tpm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A TPM character device at the path the owner configured ({@code /dev/tpmrm0}, the kernel's resource
 * manager, or another): a command is one write, its response one read. (TSS.Java's own Linux device
 * ignores the path and tries its two defaults, printing to stderr.)
 */
final class TpmCharDevice extends RawTpmDevice {
    private final Path path;
    private @Nullable RandomAccessFile file;

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
    byte[] exchange(byte[] command) {
        RandomAccessFile f = file;
        if (f == null) throw new IllegalStateException("not connected");
        try {
            f.write(command);
            byte[] buffer = new byte[MAX_RESPONSE];
            int n = f.read(buffer);
            if (n < 10) throw new IOException("a TPM response of " + n + " bytes");
            return Arrays.copyOf(buffer, n);
        } catch (IOException e) {
            throw new UncheckedIOException("the TPM at " + path + " did not answer", e);
        }
    }

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
