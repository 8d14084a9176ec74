package org.memoryvault.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.memoryvault.architecture.ArchitectureClasses.pkg;

import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.port.SlotBackend;

/**
 * Data-key bytes stay in vault-crypto (docs/adr/0003): no class elsewhere can obtain them, and the
 * slot-backend port, which integrators implement, never receives a data key.
 */
@AnalyzeClasses(packages = "org.memoryvault", importOptions = ProductionClasses.class)
class KeyMaterialTest {
    @ArchTest
    static final ArchRule data_key_implementations_reveal_bytes_only_inside_their_package = methods()
            .that().areDeclaredInClassesThat().implement(DataKey.class)
            .and().haveRawReturnType(byte[].class)
            .should().notBePublic().andShould().notBeProtected()
            .because("docs/adr/0003: a data key's bytes are read by vault-crypto's own package, never through a public method");

    @ArchTest
    static final ArchRule only_crypto_touches_data_key_implementations = noClasses().that().resideOutsideOfPackage(pkg("crypto"))
            .should().dependOnClassesThat().implement(DataKey.class)
            .because("docs/adr/0003: no class outside vault-crypto can obtain data-key bytes");

    @ArchTest
    static final ArchRule data_keys_expose_no_bytes = methods().that().areDeclaredIn(DataKey.class)
            .should().haveRawReturnType(boolean.class).orShould().haveRawReturnType(int.class)
            .orShould().haveRawReturnType(void.class).orShould().haveRawReturnType(org.memoryvault.domain.model.ProfileId.class)
            .because("a DataKey is a handle: the domain passes it around and never sees key bytes (docs/FORMAT.md §3)");

    @ArchTest
    static final ArchRule slot_backends_never_see_data_keys = methods().that().areDeclaredIn(SlotBackend.class)
            .should(new ArchCondition<>("take no DataKey") {
                @Override public void check(JavaMethod m, ConditionEvents events) {
                    boolean ok = m.getRawParameterTypes().stream().noneMatch(t -> t.isAssignableTo(DataKey.class))
                            && !m.getRawReturnType().isAssignableTo(DataKey.class);
                    events.add(new SimpleConditionEvent(m, ok, m.getFullName() + (ok ? " takes no DataKey" : " sees a DataKey")));
                }
            })
            .because("docs/adr/0003: a slot backend supplies a key-encryption key; vault-crypto does the data-key wrapping");

    @ArchTest
    static final ArchRule only_crypto_implements_data_keys = noClasses().that().resideOutsideOfPackage(pkg("crypto"))
            .should().implement(DataKey.class)
            .because("a DataKey made elsewhere could carry key bytes out of vault-crypto");
}
