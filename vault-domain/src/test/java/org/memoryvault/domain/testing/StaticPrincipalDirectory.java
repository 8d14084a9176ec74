package org.memoryvault.domain.testing;

import java.util.HashMap;
import java.util.Map;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Principal;

/**
 * The clearances {@link InMemoryVault} enrols its agent principals with, by name; unknown names get
 * the lowest clearance (EPHEMERAL).
 */
public final class StaticPrincipalDirectory {
    private final Map<String, Classification> clearances = new HashMap<>();

    public static StaticPrincipalDirectory of(Principal... principals) {
        StaticPrincipalDirectory d = new StaticPrincipalDirectory();
        for (Principal p : principals) d.with(p.name(), p.clearance());
        return d;
    }

    public synchronized StaticPrincipalDirectory with(String name, Classification clearance) {
        clearances.put(new Principal(name, clearance).name(), clearance);
        return this;
    }

    public synchronized Principal resolve(String name) {
        return new Principal(name, clearances.getOrDefault(name, Classification.EPHEMERAL));
    }
}
