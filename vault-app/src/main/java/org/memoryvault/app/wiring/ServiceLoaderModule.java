package org.memoryvault.app.wiring;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import java.util.LinkedHashSet;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.port.SlotBackend;

/**
 * Slot backends that Dagger cannot reach: those in jars on the classpath (the launcher adds
 * {@code $VAULT_CLASSPATH}) that declare themselves in
 * {@code META-INF/services/org.memoryvault.domain.port.SlotBackend} (docs/HARDWARE.md). They join
 * the {@code Set<SlotBackend>} that vault-crypto's and the hardware module's bindings fill.
 *
 * <p>Security: code on the classpath runs with the user's rights and sees the secrets it is given;
 * only the user who starts the process decides the classpath (docs/THREAT-MODEL.md).
 */
@Module
public final class ServiceLoaderModule {
    private ServiceLoaderModule() {}

    @Provides @ElementsIntoSet
    static Set<SlotBackend> classpathBackends() {
        Set<SlotBackend> found = new LinkedHashSet<>();
        try {
            for (SlotBackend b : ServiceLoader.load(SlotBackend.class, ServiceLoaderModule.class.getClassLoader())) found.add(b);
        } catch (ServiceConfigurationError e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "a slot backend on the classpath cannot be loaded: "
                    + e.getMessage(), e);
        }
        return found;
    }
}
