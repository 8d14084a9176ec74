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

    @Override
    public Integer call() {
        VaultCli root = root();
        try (Vault vault = Vault.open(root.options())) {
            Result result = execute(vault);
            vault.finish();
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
    }
}
