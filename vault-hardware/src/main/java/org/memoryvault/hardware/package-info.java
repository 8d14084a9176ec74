/**
 * Hardware key sources and presence tokens (TPM 2.0, FIDO2, YubiKey). Until they land, the only
 * presence verifier refuses: level 5 cannot be recalled without an enrolled token.
 */
@NullMarked
package org.memoryvault.hardware;

import org.jspecify.annotations.NullMarked;
