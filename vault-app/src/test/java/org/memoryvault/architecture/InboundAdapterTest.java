package org.memoryvault.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.memoryvault.architecture.ArchitectureClasses.pkg;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.memoryvault.domain.model.DataKey;
import org.memoryvault.domain.model.SlotType;

/**
 * The CLI is an inbound adapter: it gathers input, calls use cases (through the {@code Vault}
 * facade and the component) and prints. The rules of the vault (who is the owner, which secret
 * counts, what a setting may be) live in the domain, so the next inbound adapters (an MCP server, an
 * embedding program) get them without copying them, and cannot bypass them by passing other values.
 */
@AnalyzeClasses(packages = "org.memoryvault", importOptions = ProductionClasses.class)
class InboundAdapterTest {
    static final DescribedPredicate<JavaCall<?>> A_PORT_OPERATION = new DescribedPredicate<>("an operation of a domain port") {
        @Override public boolean test(JavaCall<?> call) {
            var owner = call.getTargetOwner();
            return owner.isInterface() && owner.getPackageName().equals("org.memoryvault.domain.port") && owner.isTopLevelClass();
        }
    };

    @ArchTest
    static final ArchRule the_cli_calls_no_port = noClasses().that().resideInAPackage(pkg("app.cli"))
            .should().callCodeUnitWhere(A_PORT_OPERATION)
            .because("issue 8 item 3: the CLI reaches the domain through use cases, never through ports or repositories");

    @ArchTest
    static final ArchRule the_cli_chooses_no_slot_types = noClasses().that().resideInAPackage(pkg("app.cli"))
            .should().callMethod(SlotType.class, "of", String.class)
            .orShould().accessField(SlotType.class, "PASSPHRASE")
            .orShould().accessField(SlotType.class, "KEY_FILE")
            .because("which secret proves the owner is the domain's rule (OwnerProof); the CLI passes the user's words on and prints names");

    @ArchTest
    static final ArchRule the_cli_holds_no_keys_and_no_storage = noClasses().that().resideInAPackage(pkg("app.cli"))
            .should().dependOnClassesThat().areAssignableTo(DataKey.class)
            .orShould().dependOnClassesThat().resideInAnyPackage(pkg("crypto"), pkg("storage"))
            .because("keys and storage stay behind the use cases (docs/adr/0001, docs/adr/0003)");
}
