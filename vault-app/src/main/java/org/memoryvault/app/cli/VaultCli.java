package org.memoryvault.app.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.memoryvault.app.wiring.CliSecretProvider;
import org.memoryvault.app.wiring.VaultHome;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.domain.error.ApprovalPendingException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vault} command line (ARCHITECTURE §7). Exit codes: 0 ok, 1 internal error, 2 bad
 * input, 3 not found, 4 access refused, 5 integrity failure, 75 approval pending.
 */
@Command(name = "vault", mixinStandardHelpOptions = true, version = "memory-vault 0.1.0",
        description = "Encrypted, classification-gated memory store for AI agents and their owner.",
        subcommands = {InitCommand.class, ProfileCommands.class, StoreCommand.class, RecallCommand.class,
                ShowCommand.class, ListCommand.class, SearchCommand.class, TombstoneCommand.class,
                LockdownCommands.class, PurgeEphemeralCommand.class, ConfigCommands.class, AuditCommands.class,
                VerifyCommand.class, ApprovalCommands.class, BoundaryCommands.class, BenchCommand.class,
                PrincipalCommands.class, ResealCommand.class})
public final class VaultCli implements Runnable {
    @Option(names = "--vault", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Vault directory (default: $MEMORY_VAULT_HOME, else ~/.memory-vault).")
    Path vault;

    @Option(names = "--passphrase-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "File holding the passphrase (default: $MEMORY_VAULT_PASSPHRASE_FILE, else a terminal prompt).")
    Path passphraseFile;

    @Option(names = "--key-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Key file to unlock key-file slots (default: the path each slot names).")
    Path keyFile;

    @Option(names = "--principal-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "An agent's credential file: act as that principal (default: $MEMORY_VAULT_PRINCIPAL_FILE; without one, act as the owner).")
    Path principalFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON document on stdout.")
    boolean json;

    final Terminal io;

    VaultCli(Terminal io) { this.io = io; }

    @Override public void run() { io.out().print(new CommandLine(this).getUsageMessage()); }

    /**
     * The launcher's entry point. Output is UTF-8 whatever the locale. Arguments are UTF-8 too: the
     * JVM decodes argv with {@code sun.jnu.encoding}, which follows the locale and cannot be set on
     * the command line, so {@code ./vault} runs Java under a UTF-8 locale; see {@link #argvProblem}.
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, new Terminal(System.in, out, err, System.getenv()), System.getProperty("sun.jnu.encoding", ""));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line whose arguments were decoded as UTF-8; returns the exit code. */
    public static int run(String[] args, Terminal io) { return run(args, io, "UTF-8"); }

    static int run(String[] args, Terminal io, String argvEncoding) {
        VaultCli root = new VaultCli(io);
        Optional<String> badArgv = argvProblem(args, argvEncoding);
        if (badArgv.isPresent()) {
            root.json = Arrays.asList(args).contains("--json");
            return root.fail(ErrorCode.INPUT_INVALID, badArgv.get(), 2);
        }
        CommandLine cli = new CommandLine(root);
        cli.setOut(new PrintWriter(io.out(), true));
        cli.setErr(new PrintWriter(io.err(), true));
        cli.setParameterExceptionHandler((ex, a) -> root.fail(ErrorCode.INPUT_INVALID, String.valueOf(ex.getMessage()), 2));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> root.handle(ex));
        return cli.execute(args);
    }

    /**
     * Why the arguments cannot be trusted as text, if they cannot. Undecodable bytes arrive as U+FFFD
     * (the JVM replaces them), so an argument holding U+FFFD is refused rather than stored altered.
     * Under a locale that is not UTF-8 the JVM decodes argv with another charset, so any non-ASCII
     * argument is refused: it may already have been changed.
     */
    static Optional<String> argvProblem(String[] args, String argvEncoding) {
        boolean utf8 = argvEncoding.equalsIgnoreCase("UTF-8") || argvEncoding.equalsIgnoreCase("UTF8");
        for (int i = 0; i < args.length; i++) {
            if (args[i].indexOf('\uFFFD') >= 0) {
                return Optional.of("argument " + (i + 1) + " is not valid UTF-8 (or holds U+FFFD); arguments must be UTF-8 text");
            }
            if (!utf8 && !args[i].chars().allMatch(c -> c < 0x80)) {
                return Optional.of("argument " + (i + 1) + " is not ASCII and the JVM decoded the arguments as " + argvEncoding
                        + ", not UTF-8; run the ./vault launcher (it selects a UTF-8 locale) or set LC_ALL=C.UTF-8");
            }
        }
        return Optional.empty();
    }

    int handle(Exception ex) {
        if (ex instanceof ApprovalPendingException p) {
            if (json) {
                Map<String, Object> pending = new LinkedHashMap<>();
                pending.put("approval_id", p.approvalId());
                pending.put("expires_at", p.expiresAt());
                io.out().println(Json.write(Map.of("pending", pending)));
            } else {
                io.err().println("vault: " + p.getMessage() + " [" + p.code().name() + "]");
            }
            return p.code().category().exitCode();
        }
        if (ex instanceof VaultException v) {
            return fail(v.code(), v.getMessage(), v.code().category().exitCode());
        }
        if ("1".equals(io.env().get("MEMORY_VAULT_DEBUG"))) ex.printStackTrace(io.err());
        return fail(ErrorCode.INTERNAL_ERROR, "internal error (" + ex.getClass().getSimpleName()
                + "); set MEMORY_VAULT_DEBUG=1 for details", 1);
    }

    int fail(ErrorCode code, String message, int exit) {
        if (json) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", code.name());
            err.put("message", message);
            io.out().println(Json.write(Map.of("error", err)));
        } else {
            io.err().println("vault: " + message + " [" + code.name() + "]");
        }
        return exit;
    }

    VaultOptions options() {
        Path home = VaultHome.resolve(Optional.ofNullable(vault), io.env(), Path.of(System.getProperty("user.home")));
        Optional<Path> pass = Optional.ofNullable(passphraseFile)
                .or(() -> Optional.ofNullable(io.env().get(CliSecretProvider.ENV_PASSPHRASE_FILE)).filter(s -> !s.isBlank()).map(Path::of));
        Optional<Path> principal = Optional.ofNullable(principalFile)
                .or(() -> Optional.ofNullable(io.env().get(VaultOptions.ENV_PRINCIPAL_FILE)).filter(s -> !s.isBlank()).map(Path::of));
        return new VaultOptions(home, pass, Optional.ofNullable(keyFile), principal, io.env());
    }

    /** Standard streams and environment of one invocation (tests pass their own). */
    public record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {}
}
