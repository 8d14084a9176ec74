/**
 * Wiring: the Dagger component, the vault facade the CLI uses, and the app's own small adapters
 * (secrets from files and terminal, the refusal history, the seal witness) and the storage backends. The only place that knows concrete
 * adapters and the only place that creates a SecureRandom.
 */
@NullMarked
package org.memoryvault.app.wiring;

import org.jspecify.annotations.NullMarked;
