/**
 * Use cases: one public final class per action, each with a nested Request and one {@code execute}.
 * Invariant: every state change and every refusal is audited in the transaction of the change.
 */
@NullMarked
package org.memoryvault.domain.usecase;

import org.jspecify.annotations.NullMarked;
