/**
 * Time-based one-time passwords (RFC 6238) as a presence token: the codes, the acceptance rule with
 * replay protection, and enrolment URIs. A TOTP secret is stored in the vault, so TOTP yields no key
 * material and its gate is policy only (docs/HARDWARE.md, docs/THREAT-MODEL.md).
 */
@NullMarked
package org.memoryvault.hardware.totp;

import org.jspecify.annotations.NullMarked;
