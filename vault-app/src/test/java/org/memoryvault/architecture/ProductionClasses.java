package org.memoryvault.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * Imports production classes only: not test directories and not test-jars (vault-domain's
 * test-jar is on this module's test classpath, and ArchUnit's DoNotIncludeTests sees only directories).
 */
final class ProductionClasses implements ImportOption {
    @Override
    public boolean includes(Location location) {
        return new DoNotIncludeTests().includes(location) && !location.contains("-tests.jar");
    }
}
