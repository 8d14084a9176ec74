package org.memoryvault.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.base.DescribedPredicate;

/** STYLE §6 rule 4: adapters are final and named {@code <Technology><Port>}. */
@AnalyzeClasses(packages = "org.memoryvault", importOptions = ProductionClasses.class)
class AdapterNamingTest {
    private static final String PORTS = "org.memoryvault.domain.port";

    static final DescribedPredicate<JavaClass> IMPLEMENT_A_PORT = new DescribedPredicate<>("implement a domain port") {
        @Override public boolean test(JavaClass c) {
            return c.getAllRawInterfaces().stream().anyMatch(i -> i.getPackageName().equals(PORTS) && i.isTopLevelClass());
        }
    };

    static final ArchCondition<JavaClass> BE_FINAL_AND_NAMED_AFTER_THEIR_PORT = new ArchCondition<>("be final and named <Technology><Port>") {
        @Override public void check(JavaClass c, ConditionEvents events) {
            boolean named = c.getAllRawInterfaces().stream()
                    .filter(i -> i.getPackageName().equals(PORTS) && i.isTopLevelClass())
                    .anyMatch(i -> c.getSimpleName().endsWith(i.getSimpleName()) && !c.getSimpleName().equals(i.getSimpleName()));
            boolean isFinal = c.getModifiers().contains(JavaModifier.FINAL);
            events.add(new SimpleConditionEvent(c, named && isFinal, c.getName() + (isFinal ? "" : " is not final")
                    + (named ? "" : " is not named <Technology><Port>")));
        }
    };

    @ArchTest
    static final ArchRule adapters_are_final_and_named_after_their_port = classes()
            .that().resideOutsideOfPackage("org.memoryvault.domain..").and().areTopLevelClasses().and().areNotInterfaces()
            .and(IMPLEMENT_A_PORT)
            .should(BE_FINAL_AND_NAMED_AFTER_THEIR_PORT)
            .because("ARCHITECTURE §2: adapters are named <Technology><Port>, so configuration and code read alike (docs/adr/0001)");
}
