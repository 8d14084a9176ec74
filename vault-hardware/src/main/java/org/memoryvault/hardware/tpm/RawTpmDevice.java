package org.memoryvault.hardware.tpm;

import org.jspecify.annotations.Nullable;
import tss.TpmDevice;

/**
 * A TPM reached with raw TPM 2.0 command bytes, one command and its whole response at a time (a
 * character device, swtpm's TCP server); subclasses say how one exchange travels.
 */
abstract class RawTpmDevice extends TpmDevice {
    static final int MAX_RESPONSE = 64 * 1024;
    private byte @Nullable [] response;
    private long deadline = Long.MAX_VALUE;

    /**
     * The time ({@link System#nanoTime}) by which the current command, with every resend TSS.Java
     * makes of it (it resends on TPM_RC_RETRY without limit), must be answered.
     */
    void deadline(long nanoTime) { deadline = nanoTime; }

    /** Milliseconds left before the deadline; an {@code UncheckedIOException} once it passed. */
    final int millisLeft() {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) throw new java.io.UncheckedIOException(new java.io.IOException("the TPM did not finish the command in time"));
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    /** Sends one command and returns its whole response (an {@code UncheckedIOException} if the TPM does not answer). */
    abstract byte[] exchange(byte[] command);

    @Override
    public final void dispatchCommand(byte[] command) {
        millisLeft();
        response = exchange(command);
    }

    @Override
    public final byte[] getResponse() {
        byte[] r = response;
        if (r == null) throw new IllegalStateException("no TPM command was sent");
        response = null;
        return r;
    }

    @Override public final boolean responseReady() { return response != null; }
}
