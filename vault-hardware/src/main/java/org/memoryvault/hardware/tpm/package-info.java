/**
 * TPM 2.0 key slots (TSS.Java): the slot's key-encryption key sealed in the TPM to a PCR policy
 * (docs/HARDWARE.md §6). Devices: {@code /dev/tpmrm0}, or a software TPM (swtpm) over TCP.
 */
@NullMarked
package org.memoryvault.hardware.tpm;

import org.jspecify.annotations.NullMarked;
