package org.memoryvault.app.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.DeadManSwitch;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.model.Heir;
import org.memoryvault.domain.model.MemoryId;
import org.memoryvault.domain.usecase.DeadManSwitches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault dms}: the dead-man switch and its heirs (docs/RECOVERY.md, "Dead-man switch"). */
@Command(name = "dms", mixinStandardHelpOptions = true,
        description = {"The dead-man switch: unless the owner checks in in time, its heirs' age-encrypted packages may be released.",
                "Arming, checking in, disarming and changing heirs are owner ceremonies (--passphrase-file, and a token code where one is enrolled)."},
        subcommands = {DmsCommands.Arm.class, DmsCommands.Checkin.class, DmsCommands.Status.class, DmsCommands.Disarm.class,
                DmsCommands.Heirs.class, DmsCommands.Release.class})
final class DmsCommands {
    private DmsCommands() {}

    static Map<String, Object> json(DeadManSwitch s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("armed_at", Json.time(s.armedAt()));
        o.put("interval", Durations.format(s.interval()));
        o.put("deadline", Json.time(s.deadline()));
        o.put("last_checkin", Json.time(s.lastCheckin()));
        o.put("prepared_at", Json.time(s.preparedAt()));
        o.put("memories", s.memories().stream().map(MemoryId::toString).toList());
        o.put("justification", s.justification());
        return o;
    }

    @Command(name = "arm", mixinStandardHelpOptions = true,
            description = {"Arm the switch: the memories are recalled now through the gates (as the owner) and sealed, one",
                    "age package per heir; unless the owner checks in within the interval, `vault dms release` hands them out."})
    static final class Arm extends VaultCommand {
        @Option(names = "--days", paramLabel = "N", description = "Days between check-ins (1-3650).") Integer days;
        @Option(names = "--every", paramLabel = "DURATION", description = "The interval as a duration instead (e.g. 12h, 90m, 30s).") String every;

        @Option(names = "--memories", required = true, split = ",", paramLabel = "ID", description = "The memories to release, comma separated.")
        List<String> memories = new ArrayList<>();

        @Option(names = "--justification", required = true, paramLabel = "TEXT", description = "Why (audited, and in each package).")
        String justification;

        @Override
        Result execute(Vault vault) {
            if ((days == null) == (every == null)) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "give --days N or --every DURATION");
            if (days != null && (days < 1 || days > 3650)) throw new InvalidInputException(ErrorCode.INPUT_DURATION, "--days is 1-3650");
            Duration interval = days != null ? Duration.ofDays(days) : Durations.parse(every);
            DeadManSwitch s = vault.component().deadManSwitches().arm(interval, memories.stream().map(MemoryId::parse).toList(), justification);
            return new Result(json(s), "armed: " + s.memories().size() + " memories; check in before " + Json.time(s.deadline())
                    + " (`vault dms checkin`)");
        }
    }

    @Command(name = "checkin", mixinStandardHelpOptions = true,
            description = "Check in: the deadline moves one interval on, and the packages are prepared again from fresh recalls.")
    static final class Checkin extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            DeadManSwitches.CheckIn c = vault.component().deadManSwitches().checkin();
            Map<String, Object> o = json(c.armed());
            o.put("prepared", c.notPrepared().isEmpty());
            c.notPrepared().ifPresent(why -> o.put("not_prepared", why));
            c.notPrepared().ifPresent(why -> root().io.err().println("vault: warning: the packages were not prepared again (" + why
                    + "); the ones prepared before stay"));
            return new Result(o, "checked in; next deadline " + Json.time(c.armed().deadline()));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the switch is armed, its deadline, and its heirs.")
    static final class Status extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }

        @Override
        Result execute(Vault vault) {
            DeadManSwitches.Status s = vault.component().deadManSwitches().status();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("armed", s.armed().isPresent());
            o.put("triggered", s.triggered());
            s.armed().ifPresent(a -> o.putAll(json(a)));
            o.put("heirs", s.heirs().stream().map(Heir::name).toList());
            String text = s.armed().map(a -> (s.triggered() ? "TRIGGERED: the deadline " + Json.time(a.deadline()) + " passed"
                    : "armed: deadline " + Json.time(a.deadline())) + "; " + a.memories().size() + " memories").orElse("not armed")
                    + "; heirs: " + (s.heirs().isEmpty() ? "none" : s.heirs().stream().map(h -> EscrowCommands.shown(h.name())).collect(Collectors.joining(", ")));
            return new Result(o, text);
        }
    }

    @Command(name = "disarm", mixinStandardHelpOptions = true, description = "Disarm the switch; its prepared packages are deleted.")
    static final class Disarm extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            vault.component().deadManSwitches().disarm();
            return new Result(Map.of("armed", false), "disarmed");
        }
    }

    @Command(name = "heir", mixinStandardHelpOptions = true, description = "Add, list or remove heirs.",
            subcommands = {HeirAdd.class, HeirList.class, HeirRemove.class})
    static final class Heirs {
        private Heirs() {}
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an heir: a name and an age X25519 recipient (age1...).")
    static final class HeirAdd extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The heir's name (letters, digits, . _ @ -).") String name;
        @Parameters(index = "1", paramLabel = "AGE_RECIPIENT", description = "The heir's age public key (age1...).") String recipient;

        @Override
        Result execute(Vault vault) {
            Heir h = vault.component().deadManSwitches().addHeir(name, recipient);
            return new Result(Map.of("name", h.name(), "recipient", h.recipient(), "added_at", Json.time(h.addedAt())), "added heir " + h.name());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the heirs.")
    static final class HeirList extends VaultCommand {
        @Override boolean checksOwnerSeal() { return false; }

        @Override
        Result execute(Vault vault) {
            List<Heir> heirs = vault.component().deadManSwitches().status().heirs();
            return new Result(Map.of("heirs", heirs.stream().map(h -> (Object) Map.of("name", h.name(), "recipient", h.recipient(),
                    "added_at", Json.time(h.addedAt()))).toList()), heirs.isEmpty() ? "no heirs"
                    : heirs.stream().map(h -> EscrowCommands.shown(h.name()) + "  " + EscrowCommands.shown(h.recipient())).collect(Collectors.joining("\n")));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an heir and its package.")
    static final class HeirRemove extends VaultCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The heir's name.") String name;

        @Override
        Result execute(Vault vault) {
            vault.component().deadManSwitches().removeHeir(name);
            return new Result(Map.of("removed", name), "removed heir " + name);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = {"Once the deadline passed without a check-in: write each heir's package, NAME.age, into DIR (new or empty).",
                    "Before it: refused. An heir opens theirs with `age -d -i key.txt NAME.age`."})
    static final class Release extends VaultCommand {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty directory.") Path out;

        @Override
        Result execute(Vault vault) {
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                try (var entries = Files.list(out)) {
                    if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS) || entries.findAny().isPresent()) {
                        throw new InvalidInputException(ErrorCode.INPUT_INVALID, out + " exists and is not an empty directory");
                    }
                } catch (java.io.IOException e) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read " + out + ": " + e.getClass().getSimpleName());
                }
            }
            DeadManSwitches.Status before = vault.component().deadManSwitches().status();
            if (before.armed().isEmpty() || !before.triggered()) {
                vault.component().deadManSwitches().release((h, f) -> { });      // refuses, with the deadline, before any directory is made
            }
            try {
                Files.createDirectories(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.io.IOException e) {
                throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot create " + out + ": " + e.getClass().getSimpleName());
            }
            List<String> files = new ArrayList<>();
            List<String> heirs = vault.component().deadManSwitches().release((heir, file) -> {
                Path p = out.resolve(heir + ".age");
                RecallCommand.writeNewFile(p, file, file.length);
                files.add(p.toString());
            });
            return new Result(Map.of("released", heirs, "files", files), "released " + heirs.size() + " package(s) into " + out + ": "
                    + String.join(", ", files));
        }
    }
}
