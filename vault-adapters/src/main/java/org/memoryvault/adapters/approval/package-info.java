/**
 * Human approval gates. Invariant: an approval comes only from a human channel the requesting
 * process cannot feed (the controlling terminal, never stdin); no channel means denied.
 */
@NullMarked
package org.memoryvault.adapters.approval;

import org.jspecify.annotations.NullMarked;
