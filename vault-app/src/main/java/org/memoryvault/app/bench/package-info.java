/**
 * The project's own benchmark ({@code vault bench}): real adapters, a temporary vault, figures as
 * JSON. Invariant: it never touches the user's vault.
 */
@NullMarked
package org.memoryvault.app.bench;

import org.jspecify.annotations.NullMarked;
