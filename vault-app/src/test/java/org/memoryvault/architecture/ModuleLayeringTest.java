package org.memoryvault.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.memoryvault.architecture.ArchitectureClasses.ADAPTER_MODULES;
import static org.memoryvault.architecture.ArchitectureClasses.pkg;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Arrays;

/** STYLE §6 rules 1 and 3: the module diagram of ARCHITECTURE §2. */
@AnalyzeClasses(packages = "org.memoryvault", importOptions = ProductionClasses.class)
class ModuleLayeringTest {
    @ArchTest
    static final ArchRule domain_depends_on_no_other_module = noClasses().that().resideInAPackage(pkg("domain"))
            .should().dependOnClassesThat().resideInAnyPackage(
                    Arrays.stream(ADAPTER_MODULES).map(ArchitectureClasses::pkg).toArray(String[]::new))
            .orShould().dependOnClassesThat().resideInAPackage(pkg("app"))
            .because("ARCHITECTURE §2: vault-domain is the core; adapters depend on it, never the reverse (docs/adr/0001)");

    @ArchTest
    static final ArchRule adapter_modules_do_not_depend_on_each_other = CompositeArchRule.of(
            Arrays.stream(ADAPTER_MODULES).map(m -> noClasses().that().resideInAPackage(pkg(m))
                    .should().dependOnClassesThat().resideInAnyPackage(Arrays.stream(ADAPTER_MODULES)
                            .filter(o -> !o.equals(m)).map(ArchitectureClasses::pkg).toArray(String[]::new))
                    .orShould().dependOnClassesThat().resideInAPackage(pkg("app"))).toList())
            .because("ARCHITECTURE §2: an adapter module depends on vault-domain only, so adapters swap independently (docs/adr/0001)");

    @ArchTest
    static final ArchRule ports_are_interfaces = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage(pkg("domain.port")).and().areTopLevelClasses()
            .should().beInterfaces()
            .because("ARCHITECTURE §2: ports are interfaces in vault-domain that adapters implement");

    @ArchTest
    static final ArchRule use_cases_are_public_final = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
            .that().resideInAPackage(pkg("domain.usecase")).and().areTopLevelClasses().and().doNotHaveSimpleName("package-info")
            .should().bePublic().andShould().haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
            .because("STYLE §1: a use case is a public final verb-noun class, not an interface to mock");
}
