/**
 * Boundary guards: decide whether the environment allows recalling a memory of a given level.
 * {@link org.memoryvault.adapters.boundary.NetworkInterfaceBoundaryGuard} looks at the local network
 * interfaces; {@link org.memoryvault.adapters.boundary.UnixSocketBoundaryGuard} asks the Agent-OS
 * boundary daemon over its Unix socket. Invariant: fail-closed; an error, an unknown state or a reply
 * that is not exactly a permit refuses, and refusal reasons are safe to print (never the token).
 */
@NullMarked
package org.memoryvault.adapters.boundary;

import org.jspecify.annotations.NullMarked;
