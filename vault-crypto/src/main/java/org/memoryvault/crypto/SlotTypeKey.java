package org.memoryvault.crypto;

import dagger.MapKey;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.memoryvault.domain.model.SlotType;

/**
 * Dagger map key for {@code Map<SlotType, KeySource>}: every module that brings a key source
 * (this one, the hardware module) contributes its entries with {@code @IntoMap @SlotTypeKey(...)}.
 */
@MapKey
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SlotTypeKey {
    SlotType value();
}
