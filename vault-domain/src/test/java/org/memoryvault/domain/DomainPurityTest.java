package org.memoryvault.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * STYLE §6 rules 2 and 5, checked in the domain's own build: the domain core is JDK-only, does
 * no I/O, and never reads the wall clock or an unseeded random source by itself.
 */
class DomainPurityTest {
    private static JavaClasses domain;

    @BeforeAll
    static void importDomain() {
        domain = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("org.memoryvault.domain..");
    }

    @Test
    void domain_dependsOnlyOnTheJdkAndNullnessAnnotations() {
        ArchRule rule = noClasses().that().resideInAPackage("org.memoryvault.domain..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "org.memoryvault.domain..", "org.jspecify..")
                .because("ARCHITECTURE §2: vault-domain imports nothing outside java.* (and nullness annotations)");
        rule.check(domain);
    }

    @Test
    void domain_doesNoFileNetworkOrDatabaseIo() {
        ArchRule rule = noClasses().that().resideInAPackage("org.memoryvault.domain..")
                .should().dependOnClassesThat().haveNameMatching("java\\.io\\.File.*")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.sql..")
                .because("ARCHITECTURE §2: the domain does no I/O; storage, files and network are adapters behind ports");
        rule.check(domain);
    }

    @Test
    void domain_neverReadsTheWallClockOrAnUnseededRandomSource() {
        DescribedPredicate<JavaCall<?>> ambient = DescribedPredicate.describe("read the wall clock or an ambient random source",
                call -> {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    int params = call.getTarget().getRawParameterTypes().size();
                    return (name.equals("now") && params == 0 && owner.startsWith("java.time."))
                            || (owner.equals("java.time.Clock") && (name.equals("systemUTC") || name.equals("systemDefaultZone")))
                            || (owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime")))
                            || (owner.equals("java.lang.Math") && name.equals("random"))
                            || (owner.equals("java.util.Random") && name.equals("<init>") && params == 0)
                            || (owner.equals("java.security.SecureRandom") && name.equals("<init>"))
                            || (owner.equals("java.util.UUID") && name.equals("randomUUID"));
                });
        ArchRule rule = noClasses().that().resideInAPackage("org.memoryvault.domain..")
                .should().callCodeUnitWhere(ambient)
                .because("ARCHITECTURE §2 and STYLE §6 rule 5: time and randomness are constructor parameters "
                        + "(Clock, RandomGenerator), so every rule is testable and reproducible");
        rule.check(domain);
    }
}
