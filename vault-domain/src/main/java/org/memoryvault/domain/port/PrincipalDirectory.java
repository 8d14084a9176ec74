package org.memoryvault.domain.port;

import org.memoryvault.domain.model.Principal;

/** Knows principals' clearances. An unknown name resolves to the lowest clearance, never fails. */
public interface PrincipalDirectory {
    Principal resolve(String name);
}
