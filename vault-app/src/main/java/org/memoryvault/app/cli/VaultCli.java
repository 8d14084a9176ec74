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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.memoryvault.app.wiring.CliSecretProvider;
import org.memoryvault.app.wiring.VaultHome;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.domain.error.ApprovalPendingException;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.VaultException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vault} command line (ARCHITECTURE §7). Exit codes: 0 ok, 1 internal error, 2 bad
 * input, 3 not found, 4 access refused, 5 integrity failure, 75 approval pending.
 */
@Command(name = "vault", mixinStandardHelpOptions = true, version = "memory-vault 0.1.0",
        description = "Encrypted, classification-gated memory store for AI agents and their owner.")
public final class VaultCli implements Runnable {
    /**
     * Every top-level command, in the order help lists them. Only the one a command line names is
     * registered with picocli (building the model of all of them costs a short run more than the
     * command itself); help, completion and a mistyped name get them all.
     */
    static final List<Class<?>> COMMANDS = List.of(InitCommand.class, ProfileCommands.class, StoreCommand.class,
            RecallCommand.class, ShowCommand.class, ListCommand.class, SearchCommand.class, TombstoneCommand.class,
            LockdownCommands.class, PurgeEphemeralCommand.class, ConfigCommands.class, AuditCommands.class,
            VerifyCommand.class, ApprovalCommands.class, BoundaryCommands.class, BenchCommand.class,
            PrincipalCommands.class, TokenCommands.class, HardwareCommands.class, IntentCommands.class, McpCommand.class,
            ResealCommand.class, BackupCommands.class, RestoreCommand.class, ImportLegacyCommand.class, ProofCommands.class, EscrowCommands.class, DmsCommands.class, CompletionCommand.class);

    /** Root options that take a value (so the word after them is not the command's name). */
    private static final Set<String> VALUED_ROOT_OPTIONS = Set.of("--vault", "--passphrase-file", "--key-file", "--principal-file",
            "--totp-code-file");

    /** Exit codes, listed under EXIT STATUS in every command's help. */
    static final Map<String, String> EXIT_CODES = exitCodes();

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

    @Option(names = "--totp-code-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "File (0600) holding the current TOTP code of an enrolled token, for a level-5 recall, leaving lockdown"
                    + " or a token command (default: typed when asked on a terminal; never on the command line).")
    Path totpCodeFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON document on stdout.")
    boolean json;

    final Terminal io;
    /** The command line being run (for suggestions when picocli reports a missing option instead of a mistyped one). */
    private List<String> args = List.of();

    VaultCli(Terminal io) { this.io = io; }

    @Override public void run() { io.out().print(commandLine(new VaultCli(io), COMMANDS).getUsageMessage()); }

    /**
     * The launcher's entry point. Output is UTF-8 whatever the locale. Arguments are UTF-8 too: the
     * JVM decodes argv with {@code sun.jnu.encoding}, which follows the locale and cannot be set on
     * the command line, so {@code ./vault} runs Java under a UTF-8 locale; see {@link #argvProblem}.
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, new Terminal(System.in, out, err, System.getenv(), isTerminal(1), isTerminal(2), isTerminal(0)), System.getProperty("sun.jnu.encoding", ""));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line whose arguments were decoded as UTF-8; returns the exit code. */
    public static int run(String[] args, Terminal io) { return run(args, io, "UTF-8"); }

    static int run(String[] args, Terminal io, String argvEncoding) {
        VaultCli root = new VaultCli(io);
        root.args = List.of(args);
        Optional<String> badArgv = argvProblem(args, argvEncoding);
        if (badArgv.isPresent()) {
            root.json = Arrays.asList(args).contains("--json");
            return root.fail(ErrorCode.INPUT_INVALID, badArgv.get(), 2);
        }
        List<Class<?>> commands = commandNamed(args).map(List::<Class<?>>of)
                .orElse(onlyVersion(args) ? List.of() : COMMANDS);
        CommandLine cli = commandLine(root, commands);
        cli.setOut(new PrintWriter(io.out(), true));
        cli.setErr(new PrintWriter(io.err(), true));
        cli.setParameterExceptionHandler((ex, a) -> root.parameterProblem(ex));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> root.handle(ex));
        return cli.execute(args);
    }

    /** The picocli model of {@code root} with the given top-level commands, help as documented (docs/JSON.md has the exit codes too). */
    static CommandLine commandLine(VaultCli root, List<Class<?>> commands) {
        CommandLine cli = new CommandLine(root);
        // An argument is what it says: "@name" is not replaced by the lines of a file (picocli's
        // default), which would read any file, or /dev/zero forever, into a command line.
        cli.setExpandAtFiles(false);
        commands.forEach(cli::addSubcommand);
        cli.registerConverter(Path.class, VaultCli::path);
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES);
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, COMMAND_LIST);
        cli.getSubcommands().values().forEach(VaultCli::decorate);
        return cli;
    }

    /**
     * The "Commands:" list: each subcommand with the first sentence of its description, whole
     * (picocli's own list shows the description's first line, cut wherever the line breaks).
     */
    static String commandList(CommandLine.Help help) {
        Map<String, CommandLine.Help> subs = help.subcommands();
        if (subs.isEmpty()) return "";
        int longest = subs.keySet().stream().mapToInt(String::length).max().orElse(0);
        int width = help.commandSpec().usageMessage().width();
        CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(help.colorScheme(),
                new CommandLine.Help.Column(longest + 4, 2, CommandLine.Help.Column.Overflow.SPAN),
                new CommandLine.Help.Column(Math.max(30, width - longest - 4), 2, CommandLine.Help.Column.Overflow.WRAP));
        subs.forEach((name, sub) -> table.addRowValues(name, summary(sub.commandSpec())));
        return table.toString();
    }

    /**
     * One renderer object, not a method reference at each call site: two identical lambda proxies
     * from one class in the start-up class list crash the JDK 17 CDS dump (the build's start-up archive).
     */
    private static final CommandLine.IHelpSectionRenderer COMMAND_LIST = new CommandLine.IHelpSectionRenderer() {
        @Override public String render(CommandLine.Help help) { return commandList(help); }
    };

    /** The first sentence of a command's description (up to a full stop followed by a capital letter, or the end). */
    static String summary(CommandSpec spec) {
        String all = String.join(" ", spec.usageMessage().description()).replace("%n", " ").replace("%%", "%")
                .replaceAll("\\s+", " ").strip();
        java.util.regex.Matcher end = SENTENCE_END.matcher(all);
        return end.find() ? all.substring(0, end.end()) : all;
    }

    private static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile("\\.(?=\\s+[A-Z]|$)");

    /**
     * A subcommand's help: its own options only (the global ones, inherited from {@code vault}, are
     * hidden there and named in one footer line), and the exit codes.
     */
    private static void decorate(CommandLine sub) {
        CommandSpec spec = sub.getCommandSpec();
        List<OptionSpec> inherited = spec.options().stream().filter(OptionSpec::inherited).toList();
        for (OptionSpec o : inherited) {
            spec.remove(o);
            spec.addOption(o.toBuilder().hidden(true).scopeType(ScopeType.LOCAL).build());
        }
        spec.usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES)
                .footer("%nGlobal options (--vault, --passphrase-file, --key-file, --principal-file, --totp-code-file, --json) are described in `vault --help`.");
        sub.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, COMMAND_LIST);
        sub.getSubcommands().values().forEach(VaultCli::decorate);
    }

    /**
     * A path given as an option's value. An empty one is refused (Java would read it as the current
     * directory), and one Java cannot represent gets a message without the JDK's exception in it.
     */
    static Path path(String value) {
        if (value.isEmpty()) throw new CommandLine.TypeConversionException("a path cannot be empty");
        if (value.indexOf('\0') >= 0) throw new CommandLine.TypeConversionException("a path cannot contain a NUL character");
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandLine.TypeConversionException("not a valid path: " + e.getReason());
        }
    }

    /** The top-level command a command line names, if it names a known one. */
    static Optional<Class<?>> commandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return Optional.empty();
            if (VALUED_ROOT_OPTIONS.contains(a)) { i++; continue; }
            if (a.startsWith("-")) continue;
            for (Class<?> c : COMMANDS) {
                if (c.getAnnotation(Command.class).name().equals(a)) return Optional.of(c);
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The option name nearest to a mistyped one (at most two edits away). */
    static Optional<String> closestOption(String typed, java.util.Collection<String> names) {
        String best = null;
        int bestDistance = 3;
        for (String n : names) {
            int d = org.memoryvault.app.config.ConfigKey.distance(n, typed);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether the command line only asks for the version (then no command needs building). */
    static boolean onlyVersion(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put("1", "internal error (MEMORY_VAULT_DEBUG=1 shows details)");
        codes.put("2", "bad input: a wrong argument, option, value or configuration");
        codes.put("3", "not found: no such memory, profile, slot or approval");
        codes.put("4", "access refused: a gate, lockdown, clearance or a wrong secret");
        codes.put("5", "integrity failure: tampered, damaged or rolled-back data");
        codes.put("75", "approval pending: retry with --approval ID once the owner approved");
        return codes;
    }

    /**
     * A command line picocli could not parse: exit 2 with the message, "did you mean" suggestions
     * for a mistyped command or option, and the subcommands of a group named without one.
     */
    int parameterProblem(ParameterException ex) {
        StringBuilder message = new StringBuilder(String.valueOf(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message.append("; did you mean: ").append(String.join(", ", u.getSuggestions())).append('?');
        }
        CommandLine at = ex.getCommandLine();
        if (ex instanceof MissingParameterException) {
            for (String a : args) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (!name.startsWith("--") || at.getCommandSpec().optionsMap().containsKey(name)) continue;
                closestOption(name, at.getCommandSpec().optionsMap().keySet()).ifPresent(c -> message.append("; unknown option ")
                        .append(name).append(": did you mean ").append(c).append('?'));
            }
        }
        if (!at.getSubcommands().isEmpty() && (ex instanceof MissingParameterException
                || String.valueOf(ex.getMessage()).startsWith("Missing required subcommand"))) {
            return fail(ErrorCode.INPUT_INVALID, "`" + at.getCommandSpec().qualifiedName() + "` needs a subcommand: "
                    + String.join(", ", at.getSubcommands().keySet()), 2);
        }
        return fail(ErrorCode.INPUT_INVALID, message.toString(), 2);
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
                pending.put("expires_at", Json.time(p.expiresAt()));
                io.out().println(Json.write(Map.of("pending", pending)));
            } else {
                io.err().println("vault: " + p.getMessage() + " [" + p.code().name() + "]");
            }
            return p.code().category().exitCode();
        }
        if (ex instanceof VaultException v) {
            String message = v.getMessage();
            if (v.code() == ErrorCode.ACCESS_LOCKDOWN) {
                message += " (`vault lockdown status` says why and since when; the owner leaves it with `vault lockdown exit`)";
            }
            return fail(v.code(), message, v.code().category().exitCode());
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

    /** Progress bars with counts on stderr when it is a terminal and the output is not JSON; otherwise nothing. */
    org.memoryvault.app.progress.Progress.Factory countProgress() {
        return io.errIsTerminal() && !json ? org.memoryvault.app.progress.Progress.bars(io.err())
                : org.memoryvault.app.progress.Progress.none();
    }

    /** Progress bars in MiB on stderr when it is a terminal and the output is not JSON; otherwise nothing. */
    org.memoryvault.app.progress.Progress.Factory byteProgress() {
        return io.errIsTerminal() && !json ? org.memoryvault.app.progress.Progress.byteBars(io.err())
                : org.memoryvault.app.progress.Progress.none();
    }

    /** Prints a notice before a slow step ("vault: deriving key: ...") when stderr is a terminal and the output is not JSON. */
    java.util.function.Consumer<String> noticePrinter() {
        if (!io.errIsTerminal() || json) return line -> { };
        return line -> {
            io.err().println("vault: " + line + " ...");
            io.err().flush();
        };
    }

    VaultOptions options() {
        String userHome = Optional.ofNullable(io.env().get("HOME")).filter(h -> h.startsWith("/")).orElse(System.getProperty("user.home"));
        Path home = VaultHome.resolve(Optional.ofNullable(vault), io.env(), Path.of(userHome));
        Optional<Path> pass = Optional.ofNullable(passphraseFile)
                .or(() -> Optional.ofNullable(io.env().get(CliSecretProvider.ENV_PASSPHRASE_FILE)).filter(s -> !s.isBlank()).map(Path::of));
        Optional<Path> principal = Optional.ofNullable(principalFile)
                .or(() -> Optional.ofNullable(io.env().get(VaultOptions.ENV_PRINCIPAL_FILE)).filter(s -> !s.isBlank()).map(Path::of));
        return new VaultOptions(home, pass, Optional.ofNullable(keyFile), principal, io.env(), Optional.ofNullable(totpCodeFile));
    }

    /**
     * Standard streams and environment of one invocation (tests pass their own), and whether stdout
     * and stderr are terminals (then the CLI guards raw bytes and shows notices and progress).
     */
    public record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                           boolean outIsTerminal, boolean errIsTerminal, boolean inIsTerminal) {
        /** Streams that are not terminals. */
        public Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
            this(in, out, err, env, false, false, false);
        }
    }

    /**
     * Whether file descriptor {@code fd} of this process is a terminal: on Linux, whether it links
     * to a tty device; elsewhere, whether the JVM has a console.
     */
    static boolean isTerminal(int fd) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
