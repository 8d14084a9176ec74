package org.memoryvault.hardware.fido2;

import org.jspecify.annotations.Nullable;

/**
 * The lowest layer a FIDO2 authenticator is reached through: 64-byte HID input and output reports on
 * its FIDO interface (usage page 0xF1D0), without the report-id byte. The real one is a hid4java
 * device ({@link HidAuthenticators}); tests use a simulated authenticator that speaks the same bytes.
 */
public interface HidReports extends AutoCloseable {
    int REPORT_SIZE = 64;

    /** Sends one output report (exactly {@value #REPORT_SIZE} bytes). */
    void write(byte[] report);

    /** The next input report ({@value #REPORT_SIZE} bytes), or null when none came within {@code timeoutMillis}. */
    byte @Nullable [] read(int timeoutMillis);

    @Override default void close() {}
}
