package org.memoryvault.hardware.yubikey;

import java.util.List;
import org.hid4java.HidDevice;
import org.hid4java.HidManager;
import org.hid4java.HidServices;
import org.hid4java.HidServicesSpecification;
import org.memoryvault.domain.error.AccessRefusedException;
import org.memoryvault.domain.error.ErrorCode;

/**
 * Finds a plugged-in YubiKey's OTP interface (Yubico's vendor id 0x1050, the keyboard usage of the
 * generic desktop page) through hid4java and opens it as {@link FeatureReports}. On Linux the user
 * needs access to its {@code /dev/hidraw*} node (Yubico's udev rules grant it).
 */
public final class HidYubiKeys {
    static final int YUBICO_VENDOR_ID = 0x1050;

    private HidYubiKeys() {}

    /**
     * What USB HID shows (for `vault hardware status`): YubiKey OTP interfaces and FIDO authenticators
     * (usage page 0xF1D0), or why HID cannot be asked.
     */
    public static String survey() {
        try {
            HidServicesSpecification spec = new HidServicesSpecification();
            spec.setAutoStart(false);
            List<HidDevice> attached = HidManager.getHidServices(spec).getAttachedHidDevices();
            long yubikeys = attached.stream().filter(d -> d.getVendorId() == YUBICO_VENDOR_ID && d.getUsagePage() == 0x0001
                    && d.getUsage() == 0x0006).count();
            long fido = attached.stream().filter(d -> d.getUsagePage() == 0xf1d0).count();
            return yubikeys + " YubiKey OTP interface(s), " + fido + " FIDO authenticator(s)";
        } catch (RuntimeException | LinkageError e) {
            return "USB HID is not available here (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** The first YubiKey OTP interface found; {@code ACCESS_TOKEN} when there is none or HID is unavailable. */
    public static FeatureReports open() {
        HidServices services;
        List<HidDevice> attached;
        try {
            HidServicesSpecification spec = new HidServicesSpecification();
            spec.setAutoStart(false);
            services = HidManager.getHidServices(spec);
            attached = services.getAttachedHidDevices();
        } catch (RuntimeException | LinkageError e) {
            throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "no YubiKey: USB HID is not available here ("
                    + e.getClass().getSimpleName() + ")");
        }
        for (HidDevice d : attached) {
            if (d.getVendorId() != YUBICO_VENDOR_ID || d.getUsagePage() != 0x0001 || d.getUsage() != 0x0006) continue;
            if (!d.open()) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "a YubiKey is plugged in but cannot be opened (permissions"
                        + " of its /dev/hidraw node? Yubico's udev rules grant the logged-in user access)");
            }
            return new Hid(d);
        }
        throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "no YubiKey is plugged in");
    }

    private static final class Hid implements FeatureReports {
        private final HidDevice device;

        Hid(HidDevice device) { this.device = device; }

        @Override
        public byte[] get() {
            byte[] report = new byte[REPORT_SIZE];
            if (device.getFeatureReport(report, (byte) 0) < 0) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the YubiKey could not be read (unplugged?)");
            }
            return report;
        }

        @Override
        public void send(byte[] report) {
            if (device.sendFeatureReport(report, (byte) 0) < 0) {
                throw new AccessRefusedException(ErrorCode.ACCESS_TOKEN, "the YubiKey could not be written (unplugged?)");
            }
        }

        @Override public void close() { device.close(); }
    }
}
