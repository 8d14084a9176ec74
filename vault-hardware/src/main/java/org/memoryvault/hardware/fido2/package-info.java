/**
 * FIDO2 authenticators over USB HID (hid4java): CTAPHID framing, CTAP2 CBOR commands, and
 * registration and assertion verified with Yubico's webauthn-server-core (docs/HARDWARE.md §8).
 */
@NullMarked
package org.memoryvault.hardware.fido2;

import org.jspecify.annotations.NullMarked;
