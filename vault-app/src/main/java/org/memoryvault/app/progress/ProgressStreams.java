package org.memoryvault.app.progress;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Streams that report the bytes passing through them to a {@link Progress} (a backup written, a backup read). */
public final class ProgressStreams {
    private ProgressStreams() {}

    public static OutputStream counting(OutputStream out, Progress progress) {
        return new FilterOutputStream(out) {
            @Override public void write(int b) throws IOException {
                out.write(b);
                progress.step(1);
            }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                progress.step(len);
            }
        };
    }

    public static InputStream counting(InputStream in, Progress progress) {
        return new FilterInputStream(in) {
            @Override public int read() throws IOException {
                int b = in.read();
                if (b >= 0) progress.step(1);
                return b;
            }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) progress.step(n);
                return n;
            }

            @Override public long skip(long n) throws IOException {
                long skipped = in.skip(n);
                if (skipped > 0) progress.step(skipped);
                return skipped;
            }
        };
    }
}
