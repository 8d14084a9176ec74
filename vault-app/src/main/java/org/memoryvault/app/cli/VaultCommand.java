package org.memoryvault.app.cli;

import java.util.concurrent.Callable;
import org.memoryvault.app.wiring.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that runs against an opened vault and prints one result (text, or JSON with --json). */
@Command
abstract class VaultCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** What a command prints: a JSON document and its human form. */
    record Result(Object json, String text) {}

    VaultCli root() { return (VaultCli) spec.root().userObject(); }

    abstract Result execute(Vault vault);

    /**
     * The name a wrong secret is audited under ({@code secret.refused}), e.g. {@code config set};
     * empty for a command that audits and counts its own refusals.
     */
    java.util.Optional<String> secretAuditName() {
        return java.util.Optional.of(spec.qualifiedName(" ").replaceFirst("^vault ", ""));
    }

    /**
     * Whether the command first checks the stored state against the newest owner seal (exit 5 on a
     * mismatch; docs/FORMAT.md §12). Commands that report, or that must always work (entering
     * lockdown), do not.
     */
    boolean checksOwnerSeal() { return true; }

    /** Whether the command runs with unknown or invalid keys in config.toml (set aside), to repair them. */
    boolean repairsConfig() { return false; }

    @Override
    public Integer call() {
        VaultCli root = root();
        try (Vault vault = Vault.open(root.options(), repairsConfig())) {
            vault.showNotices(root.noticePrinter());
            if (checksOwnerSeal()) vault.component().ownerSeals().check();
            vault.config().retired().forEach((key, why) -> root.io.err().println("vault: note: "
                    + org.memoryvault.app.config.ConfigKey.shownKey(key) + " in config.toml is ignored: " + why));
            java.util.Optional<String> name = secretAuditName();
            Result result = name.isPresent() ? vault.run(name.get(), () -> execute(vault)) : execute(vault);
            vault.finish().ifPresent(note -> root.io.err().println("vault: note: " + note));
            print(result);
        }
        return 0;
    }

    void print(Result result) {
        VaultCli root = root();
        if (root.json && result.json() instanceof Json.Raw raw) {
            root.io.out().println(raw.text());
        } else if (root.json) {
            root.io.out().println(Json.write(result.json()));
        } else if (!result.text().isEmpty()) {
            root.io.out().println(result.text());
        }
        root.io.out().flush();
        if (root.io.out().checkError()) {
            throw new org.memoryvault.domain.error.InternalVaultException(org.memoryvault.domain.error.ErrorCode.INTERNAL_ERROR,
                    "the command's work is done, but its output could not be written to standard output" + ifOutputLost(), null);
        }
    }

    /** What a user should do when this command's output was lost after its work was done (e.g. a secret shown once). */
    String ifOutputLost() { return ""; }
}
