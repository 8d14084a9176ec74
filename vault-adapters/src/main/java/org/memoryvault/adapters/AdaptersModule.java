package org.memoryvault.adapters;

import dagger.Module;

/**
 * The Dagger face of vault-adapters. The guards and gates here are chosen by configuration
 * ({@code boundary.guard}, {@code approval.gate}), so vault-app's wiring builds them through
 * their public factories; this module stays for bindings that need no configuration.
 */
@Module
public abstract class AdaptersModule {
    private AdaptersModule() {}
}
