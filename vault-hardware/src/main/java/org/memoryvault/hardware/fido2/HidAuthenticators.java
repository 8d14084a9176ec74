package org.memoryvault.hardware.fido2;

import java.util.List;
import java.util.Optional;
import org.hid4java.HidDevice;
import org.hid4java.HidManager;
import org.hid4java.HidServicesSpecification;
import org.jspecify.annotations.Nullable;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;

/**
 * Plugged-in FIDO authenticators: HID devices on the FIDO usage page 0xF1D0 (CTAP 2.1 §11.2.8.1),
 * reached through hid4java. On Linux the user needs access to the key's {@code /dev/hidraw*} node
 * (the udev rules of libfido2 or the vendor grant it).
 */
public final class HidAuthenticators implements Fido2Devices {
    static final int FIDO_USAGE_PAGE = 0xf1d0;

    @jakarta.inject.Inject
    public HidAuthenticators() {}

    @Override
    public Optional<HidReports> first() {
        List<HidDevice> attached;
        try {
            HidServicesSpecification spec = new HidServicesSpecification();
            spec.setAutoStart(false);
            attached = HidManager.getHidServices(spec).getAttachedHidDevices();
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
        for (HidDevice d : attached) {
            if (d.getUsagePage() != FIDO_USAGE_PAGE) continue;
            if (!d.open()) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "a FIDO authenticator is plugged in but cannot be opened"
                        + " (permissions of its /dev/hidraw node?)");
            }
            return Optional.of(new Hid(d));
        }
        return Optional.empty();
    }

    private static final class Hid implements HidReports {
        private final HidDevice device;

        Hid(HidDevice device) { this.device = device; }

        @Override
        public void write(byte[] report) {
            if (device.write(report, REPORT_SIZE, (byte) 0) < 0) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator could not be written (unplugged?)");
            }
        }

        @Override
        public byte @Nullable [] read(int timeoutMillis) {
            byte[] report = new byte[REPORT_SIZE];
            int n = device.read(report, timeoutMillis);
            if (n < 0) throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the authenticator could not be read (unplugged?)");
            return n == 0 ? null : n == REPORT_SIZE ? report : java.util.Arrays.copyOf(report, n);
        }

        @Override public void close() { device.close(); }
    }
}
