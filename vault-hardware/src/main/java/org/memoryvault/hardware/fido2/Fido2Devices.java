package org.memoryvault.hardware.fido2;

import java.util.Optional;

/** Where FIDO2 authenticators are found: USB HID ({@link HidAuthenticators}), or a simulated one in tests. */
public interface Fido2Devices {
    /** The first authenticator plugged in, opened; empty when there is none (or USB HID cannot be asked). */
    Optional<HidReports> first();
}
