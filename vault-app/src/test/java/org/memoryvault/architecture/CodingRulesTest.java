package org.memoryvault.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.security.SecureRandom;

/** STYLE §6 rules 5-8: randomness, streams, exceptions, injection, Dagger placement, internals, cycles, records. */
@AnalyzeClasses(packages = "org.memoryvault", importOptions = ProductionClasses.class)
class CodingRulesTest {
    @ArchTest
    static final ArchRule secure_random_is_created_only_in_wiring = noClasses()
            .that().resideOutsideOfPackage("org.memoryvault.app.wiring..")
            .should().callConstructor(SecureRandom.class)
            .because("STYLE §2: SecureRandom is a constructor parameter, created once in app.wiring (docs/adr/0002)");

    @ArchTest
    static final ArchRule standard_streams_only_in_cli = noClasses().that().resideOutsideOfPackage("org.memoryvault.app.cli..")
            .should(ACCESS_STANDARD_STREAMS)
            .because("STYLE §6: only the CLI talks to stdout/stderr; libraries never print (docs/adr/0002)");

    @ArchTest
    static final ArchRule no_generic_exceptions = NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS
            .because("STYLE §3: failures carry a stable code (docs/adr/0002)");

    @ArchTest
    static final ArchRule no_java_util_logging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING
            .because("STYLE §6: no logging framework may carry secrets out unseen (docs/adr/0002)");

    @ArchTest
    static final ArchRule no_field_injection = NO_CLASSES_SHOULD_USE_FIELD_INJECTION
            .because("STYLE §5: adapters use constructor injection only (docs/adr/0002)");

    @ArchTest
    static final ArchRule no_jakarta_field_injection = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields()
            .should().beAnnotatedWith("jakarta.inject.Inject")
            .because("STYLE §5: GeneralCodingRules checks javax and Spring injection; jakarta.inject needs its own rule");

    @ArchTest
    static final ArchRule public_exceptions_are_vault_exceptions = classes()
            .that().areAssignableTo(Throwable.class).and().arePublic()
            .should().beAssignableTo(org.memoryvault.domain.error.VaultException.class)
            .because("STYLE §3: one sealed exception hierarchy with stable codes (ARCHITECTURE §3)");

    @ArchTest
    static final ArchRule components_only_in_wiring = classes().that().areAnnotatedWith(dagger.Component.class)
            .should().resideInAPackage("org.memoryvault.app.wiring..")
            .because("ARCHITECTURE §2: only vault-app knows concrete adapters and wires them");

    @ArchTest
    static final ArchRule modules_are_named_module = classes().that().areAnnotatedWith(dagger.Module.class)
            .should().haveSimpleNameEndingWith("Module")
            .because("STYLE §5: one public Dagger module per adapter module, named *Module");

    @ArchTest
    static final ArchRule internals_stay_in_their_module = noClasses().should(new ArchCondition<JavaClass>("use another module's internal package") {
        @Override public void check(JavaClass c, ConditionEvents events) {
            String own = moduleOf(c.getPackageName());
            c.getDirectDependenciesFromSelf().forEach(d -> {
                String target = d.getTargetClass().getPackageName();
                if (target.contains(".internal") && target.startsWith("org.memoryvault.") && !moduleOf(target).equals(own)) {
                    events.add(SimpleConditionEvent.satisfied(c, c.getName() + " uses " + d.getTargetClass().getName()));
                }
            });
        }
    }).because("STYLE §1: <module>.internal is private to its module (docs/adr/0002)");

    @ArchTest
    static final ArchRule no_package_cycles = slices().matching("org.memoryvault.(**)").should().beFreeOfCycles()
            .because("STYLE §6 rule 8: no package cycles");

    @ArchTest
    static final ArchRule records_hold_no_arrays = noClasses().that().areRecords()
            .should(new ArchCondition<JavaClass>("have an array component") {
                @Override public void check(JavaClass c, ConditionEvents events) {
                    c.getFields().stream().filter(f -> !f.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.STATIC))
                            .filter(f -> f.getRawType().isArray())
                            .forEach(f -> events.add(SimpleConditionEvent.satisfied(c, c.getName() + "." + f.getName() + " is an array")));
                }
            }).because("STYLE §2: records compare by value; arrays and secrets belong in final classes");

    static String moduleOf(String pkg) {
        String rest = pkg.startsWith("org.memoryvault.") ? pkg.substring("org.memoryvault.".length()) : pkg;
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
