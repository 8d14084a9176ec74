package org.memoryvault.architecture;

/** Shared names for the architecture rules. */
final class ArchitectureClasses {
    static final String ROOT = "org.memoryvault";
    static final String[] ADAPTER_MODULES = {"crypto", "storage", "hardware", "audit", "adapters"};

    private ArchitectureClasses() {}

    static String pkg(String module) { return ROOT + "." + module + ".."; }
}
