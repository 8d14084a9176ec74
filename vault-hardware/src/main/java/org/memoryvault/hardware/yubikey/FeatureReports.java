package org.memoryvault.hardware.yubikey;

/**
 * The lowest layer a YubiKey is reached through: 8-byte HID feature reports (report id 0) on its
 * OTP interface. The real one is hid4java's device ({@link HidYubiKeys}); tests use a simulated
 * device that speaks the same bytes.
 */
public interface FeatureReports extends AutoCloseable {
    int REPORT_SIZE = 8;

    /** Reads one feature report (8 bytes). */
    byte[] get();

    /** Writes one feature report (8 bytes). */
    void send(byte[] report);

    @Override default void close() {}
}
