package org.memoryvault.app.cli;

import org.memoryvault.app.api.MemoryVault;
import org.memoryvault.app.mcp.VaultMcpServer;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import picocli.CommandLine.Command;

/** {@code vault mcp}: serve the vault to one agent over MCP on stdin and stdout (docs/AGENTS.md). */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Serve the vault to an agent as a Model Context Protocol server on stdin/stdout, as the agent principal whose",
                "credential --principal-file or $MEMORY_VAULT_PRINCIPAL_FILE names. Tools: store_memory, recall_memory, search_memories,",
                "list_memories, memory_info, link_intent, vault_status; owner operations are never offered. Runs until stdin ends."})
final class McpCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        VaultCli root = (VaultCli) spec.root().userObject();
        VaultOptions options = root.options();
        java.nio.file.Path credential = options.principalFile().orElseThrow(() -> new InvalidInputException(ErrorCode.INPUT_INVALID,
                "vault mcp serves one agent principal: give its credential with --principal-file FILE or $MEMORY_VAULT_PRINCIPAL_FILE"
                        + " (vault principal add NAME --clearance N)"));
        String gate = org.memoryvault.app.config.VaultConfig.load(options.home()).get(org.memoryvault.app.config.ConfigKey.APPROVAL_GATE);
        if (!gate.equals("queue")) {
            throw new InvalidInputException(ErrorCode.INPUT_CONFIG, "vault mcp needs approval.gate = queue: with the terminal gate the"
                    + " owner would be asked for a passphrase on a terminal the agent's host may own; set it with"
                    + " `vault config set approval.gate queue --passphrase-file FILE`");
        }
        MemoryVault.Options who = MemoryVault.Options.principal(credential);
        try (MemoryVault vault = MemoryVault.open(options.home(), who)) {
            root.io.err().println("vault mcp: serving " + options.home() + " on stdin/stdout; logs go here (stderr)");
            root.io.err().flush();
            new VaultMcpServer(vault).serve(root.io.in(), root.io.out(), root.io.err());
        }
        return 0;
    }
}
