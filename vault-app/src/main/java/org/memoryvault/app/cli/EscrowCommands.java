package org.memoryvault.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Escrow;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.port.KeyEscrow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vault escrow}: Shamir escrow of a profile's owner key among age recipients (docs/FORMAT.md §15, docs/RECOVERY.md). */
@Command(name = "escrow", mixinStandardHelpOptions = true,
        description = {"Shamir escrow of a profile's owner key: k of n holders' shares, each age-encrypted to its holder, give it back.",
                "Create and delete are owner ceremonies; recover puts the key into a new owner passphrase slot."},
        subcommands = {EscrowCommands.Create.class, EscrowCommands.ListEscrows.class, EscrowCommands.Info.class,
                EscrowCommands.Export.class, EscrowCommands.Recover.class, EscrowCommands.Delete.class})
final class EscrowCommands {
    private EscrowCommands() {}

    static Map<String, Object> json(Vault vault, Escrow e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("escrow_id", e.id());
        o.put("profile", e.profile().value());
        o.put("key_version", e.keyVersion());
        o.put("threshold", e.threshold());
        o.put("shares", e.shares());
        o.put("created_at", Json.time(e.createdAt()));
        o.put("current", vault.component().keyAccess().profile(e.profile()).keyVersion() == e.keyVersion());
        List<Object> holders = new ArrayList<>();
        for (Escrow.Holder h : e.holders()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", h.index());
            m.put("name", h.name());
            m.put("recipient", h.recipient());
            m.put("digest", h.digest());
            holders.add(m);
        }
        o.put("holders", holders);
        return o;
    }

    static String text(Vault vault, Escrow e) {
        boolean current = vault.component().keyAccess().profile(e.profile()).keyVersion() == e.keyVersion();
        return shown(e.id()) + "  profile " + e.profile() + "  " + e.threshold() + " of " + e.shares() + "  " + Json.time(e.createdAt())
                + "  holders " + e.holders().stream().map(h -> shown(h.name())).collect(Collectors.joining(", "))
                + (current ? "" : "  (stale: the profile was re-keyed since; make a new escrow)");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Split the owner key of a profile among holders (an owner ceremony: --passphrase-file).",
                    "Each share is age-encrypted to its holder; export them with `vault escrow export`."})
    static final class Create extends VaultCommand {
        @Option(names = "--profile", required = true, paramLabel = "P", description = "The profile whose owner key is escrowed.") String profile;

        @Option(names = "--threshold", required = true, paramLabel = "K", description = "How many shares recover the key (2..n).") int threshold;

        @Option(names = "--recipient", required = true, paramLabel = "NAME=AGE1...",
                description = "A holder: a name and an age X25519 recipient (repeat for each, 2 to 255).")
        List<String> recipients = new ArrayList<>();

        @Override
        Result execute(Vault vault) {
            List<KeyEscrow.Recipient> list = new ArrayList<>();
            for (String r : recipients) {
                int eq = r.indexOf('=');
                if (eq <= 0) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--recipient takes NAME=AGE1... (got no '=')");
                list.add(new KeyEscrow.Recipient(r.substring(0, eq), r.substring(eq + 1)));
            }
            Escrow e = vault.component().keyEscrows().create(ProfileId.of(profile), threshold, list);
            return new Result(json(vault, e), "created escrow " + text(vault, e) + "\nexport each holder's share with `vault escrow export "
                    + e.id() + " NAME --out FILE` and hand it over; any " + e.threshold() + " of them recover the key");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the escrows of this vault.")
    static final class ListEscrows extends VaultCommand {
        @Override
        Result execute(Vault vault) {
            List<Escrow> all = vault.component().keyEscrows().list();
            return new Result(Map.of("escrows", all.stream().map(e -> (Object) json(vault, e)).toList()),
                    all.isEmpty() ? "no escrows" : all.stream().map(e -> text(vault, e)).collect(Collectors.joining("\n")));
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show one escrow: its profile, threshold and holders.")
    static final class Info extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The escrow's id.") String id;

        @Override
        Result execute(Vault vault) {
            Escrow e = vault.component().keyEscrows().info(id);
            StringBuilder b = new StringBuilder(text(vault, e));
            for (Escrow.Holder h : e.holders()) b.append("\n  ").append(h.index()).append("  ").append(shown(h.name())).append("  ").append(shown(h.recipient()));
            return new Result(json(vault, e), b.toString());
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write one holder's share to a new file: a standard age file only that holder's identity opens",
                    "(`age -d -i key.txt FILE` gives the share document)."})
    static final class Export extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The escrow's id.") String id;
        @Parameters(index = "1", paramLabel = "NAME", description = "The holder's name.") String name;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (must not exist).") Path out;

        @Override
        Result execute(Vault vault) {
            ProofCommands.NewFile f = ProofCommands.NewFile.create(out);        // before anything is read or audited
            boolean done = false;
            try {
                vault.component().keyEscrows().export(id, name, f::fill);
                done = true;
            } finally {
                f.close(!done);
            }
            return new Result(Map.of("escrow_id", id, "holder", name, "out", out.toAbsolutePath().toString()),
                    "wrote the share of " + name + " to " + out + " (age-encrypted to " + name + ")");
        }
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = {"Put a profile's owner key, recovered from k share documents (each decrypted by its holder with age),",
                    "into a new owner passphrase slot (--new-passphrase-file, or typed twice)."})
    static final class Recover extends VaultCommand {
        @Override java.util.Optional<String> secretAuditName() { return java.util.Optional.empty(); }

        @Option(names = "--profile", required = true, paramLabel = "P", description = "The profile whose owner key the shares hold.") String profile;

        @Option(names = "--shares", required = true, split = ",", paramLabel = "FILE",
                description = "The share documents, comma separated (at least the threshold).")
        List<Path> shares = new ArrayList<>();

        @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "File holding the new owner passphrase (else a terminal prompt).")
        Path newPassphraseFile;

        @Option(names = "--label", paramLabel = "TEXT", description = "A name for the new slot (default: recovered from escrow).") String label;

        @Override
        Result execute(Vault vault) {
            List<KeyEscrow.ShareDocument> docs = new ArrayList<>();
            try {
                for (Path p : shares) docs.add(new KeyEscrow.ShareDocument(p.toString(), readShare(p)));
                KeySlot slot = vault.recoverFromEscrow(ProfileId.of(profile), docs, Optional.ofNullable(newPassphraseFile), Optional.ofNullable(label));
                return new Result(Json.slot(slot), "recovered the owner key of " + profile + " into a new passphrase slot " + slot.slotId());
            } finally {
                docs.forEach(KeyEscrow.ShareDocument::wipe);
            }
        }
    }

    /** A share document from a file or a pipe (e.g. {@code <(age -d -i key.txt share.age)}), so it need not rest on disk. */
    static byte[] readShare(Path p) {
        try (java.io.InputStream in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes(64 * 1024 + 1);
            if (bytes.length > 64 * 1024) throw new InvalidInputException(ErrorCode.INPUT_INVALID, "share " + p + " is too large to be a share document");
            return bytes;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "share " + p + " does not exist");
        } catch (java.io.IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read share " + p + ": " + e.getClass().getSimpleName());
        }
    }

    /** Text from vault.db as a terminal shows it: control characters (an edited row's escape sequences) as '?'. */
    static String shown(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c));
        return b.toString();
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an escrow and the share files kept here (an owner ceremony); shares already handed out stay valid.")
    static final class Delete extends VaultCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The escrow's id.") String id;

        @Override
        Result execute(Vault vault) {
            vault.component().keyEscrows().delete(id);
            return new Result(Map.of("deleted", id), "deleted escrow " + id);
        }
    }
}
