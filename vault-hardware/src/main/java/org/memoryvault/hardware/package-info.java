/**
 * Hardware slot backends and presence tokens (TPM 2.0, FIDO2, YubiKey), wired by
 * {@link org.memoryvault.hardware.HardwareModule}. Until they land, the only presence verifier
 * refuses: level 5 cannot be recalled without an enrolled token.
 */
@NullMarked
package org.memoryvault.hardware;

import org.jspecify.annotations.NullMarked;
