/**
 * YubiKey HMAC-SHA1 challenge-response over the OTP interface's HID feature reports (hid4java):
 * the frame protocol (docs/HARDWARE.md §7) and the {@code yubikey} key slot.
 */
@NullMarked
package org.memoryvault.hardware.yubikey;

import org.jspecify.annotations.NullMarked;
