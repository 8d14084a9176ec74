package org.memoryvault.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.Cooldown;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.usecase.StoreMemory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vault store}: seals content under a profile and prints the new memory's id. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Store a memory. Content comes from --file or standard input (--content only for levels 0-2).")
final class StoreCommand extends VaultCommand {
    static final class Source {
        @Option(names = "--content", paramLabel = "TEXT",
                description = "The content as text, for levels 0-2 only: arguments show in ps and shell history.") String content;
        @Option(names = "--file", paramLabel = "FILE", description = "Read the content from this file.") Path file;
    }

    @ArgGroup(exclusive = true) @org.jspecify.annotations.Nullable Source source;

    @Option(names = {"-c", "--classification"}, defaultValue = "1", paramLabel = "LEVEL",
            description = "0 ephemeral, 1 working, 2 private, 3 sealed, 4 vaulted, 5 black (default: ${DEFAULT-VALUE}).")
    String classification;

    @Option(names = "--profile", defaultValue = "default", description = "Key profile (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--cooldown", defaultValue = "0", paramLabel = "DURATION",
            description = "Least time between recalls: 30s, 5m, 2h, 7d (default: none).")
    String cooldown;

    @Option(names = "--metadata", paramLabel = "JSON", description = "A JSON object of searchable, non-secret metadata.")
    String metadata;

    @Option(names = "--intent", paramLabel = "ID", description = "IntentLog reference (repeatable).")
    List<String> intents = new ArrayList<>();

    @Option(names = "--allow-empty", description = "Store empty content (refused otherwise: an empty stdin is usually a mistake).")
    boolean allowEmpty;


    @Override
    Result execute(Vault vault) {
        Classification level = Classification.parse(classification);
        if (source != null && source.content != null && level.level() >= Classification.SEALED.level()) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--content is refused for classification " + level.level()
                    + ": command-line arguments show in ps and shell history; give the content on stdin or with --file FILE");
        }
        Cooldown cd = new Cooldown(Durations.parse(cooldown));
        Metadata md = metadata == null ? Metadata.EMPTY : Json.metadata(metadata);
        ProfileId pid = ProfileId.of(profile);
        long max = vault.settings().maxContentBytes();
        byte[] bytes = readContent(max);
        if (bytes.length == 0 && !allowEmpty) {
            String where = source == null ? "nothing came on stdin" : source.file != null ? source.file + " is empty" : "--content is empty";
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "the content is empty (" + where + "); give the content, or"
                    + " store an empty memory with --allow-empty");
        }
        try (Plaintext content = Plaintext.adopt(bytes)) {
            StoreMemory.Stored stored = vault.component().storeMemory().execute(new StoreMemory.Request(content, level, pid,
                    new AccessPolicy(cd), md, intents, vault.requester()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", stored.id().toString());
            out.put("classification", level.level());
            out.put("audit_index", stored.auditIndex());
            return new Result(out, stored.id().toString());
        }
    }

    private byte[] readContent(long max) {
        if (source != null && source.content != null) return source.content.getBytes(StandardCharsets.UTF_8);
        try {
            if (source != null && source.file != null) {
                if (!Files.isRegularFile(source.file)) {
                    throw new InvalidInputException(ErrorCode.INPUT_INVALID, "no such file: " + source.file);
                }
                if (Files.size(source.file) > max) throw tooLarge(max);
                return Files.readAllBytes(source.file);
            }
            if (root().io.inIsTerminal()) {
                root().io.err().println("vault: reading the content from the terminal; end it with Ctrl-D (or give --file FILE)");
            }
            return readLimited(root().io.in(), max);
        } catch (IOException e) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "cannot read the content: " + e.getClass().getSimpleName());
        }
    }

    static byte[] readLimited(InputStream in, long max) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (bytes.length > max) throw tooLarge(max);
        return bytes;
    }

    private static InvalidInputException tooLarge(long max) {
        return new InvalidInputException(ErrorCode.INPUT_CONTENT_TOO_LARGE, "content is larger than the maximum of " + max
                + " bytes (content.max-bytes)");
    }
}
