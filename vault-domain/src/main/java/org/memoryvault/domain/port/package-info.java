/**
 * Ports: what the domain needs from the world, named for the need. Interfaces only; adapters in
 * other modules implement them and vault-app wires them.
 */
@NullMarked
package org.memoryvault.domain.port;

import org.jspecify.annotations.NullMarked;
