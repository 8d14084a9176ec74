package org.memoryvault.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The backup round trip (issue 13): for random vault histories (stores at levels 0-2 with
 * metadata, recalls, tombstones, intent links, re-keys), a full backup taken part way, then an incremental
 * at the end, restored together into a new directory hold the same memories with the same states
 * and contents, the same search results, and an audit log that verifies and is the original's
 * plus the restore entry.
 */
@org.junit.jupiter.api.Tag("slow")
class BackupRoundTripProperties {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One step of a history: 0 store, 1 recall, 2 tombstone, 3 intent link, 4 re-key; {@code n} picks the memory or the level. */
    record Step(int kind, int n, String text) {}

    @Provide Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1_000),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 8)
    void aFullBackupAndAnIncrementalRestored_holdTheSameMemoriesStatesAndAVerifyingLog(@ForAll("histories") List<Step> history,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 12) int split) throws Exception {
        Path dir = ScratchDirs.create("backup-round-trip");
        try {
            Path home = dir.resolve("vault");
            assertThat(ScratchDirs.run(home, "init", "--kdf-preset", "interactive").exit()).isZero();
            Map<String, String> contents = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            Path pass = dir.resolve("backup.pass");
            Files.writeString(Files.createFile(pass, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    "a backup passphrase");
            Path full = dir.resolve("full.mvbk");
            int at = Math.min(split, history.size());
            for (int i = 0; i <= history.size(); i++) {
                if (i == at) {
                    ScratchDirs.Out made = ScratchDirs.run(home, "backup", "create", full.toString(), "--backup-passphrase-file", pass.toString());
                    assertThat(made.exit()).as(made.err()).isZero();
                }
                if (i == history.size()) break;
                Step s = history.get(i);
                if (s.kind() == 0 || ids.isEmpty()) {
                    String content = "content " + s.text() + " " + ids.size();
                    ScratchDirs.Out out = ScratchDirs.run(home, "store", "--classification", String.valueOf(s.n() % 3), "--content", content,
                            "--metadata", "{\"topic\":\"" + s.text() + "\"}", "--json");
                    assertThat(out.exit()).as(out.err()).isZero();
                    String id = JSON.readTree(out.out()).get("id").asText();
                    ids.add(id);
                    contents.put(id, content);
                    continue;
                }
                String id = ids.get(s.n() % ids.size());
                switch (s.kind()) {
                    case 1 -> ScratchDirs.run(home, "recall", id, "--justification", "history " + s.text());
                    case 2 -> ScratchDirs.run(home, "tombstone", id, "--reason", s.text());
                    case 4 -> {
                        ScratchDirs.Out rekeyed = ScratchDirs.run(home, "profile", "rekey", "default", "--drop-other-slots");
                        assertThat(rekeyed.exit()).as(rekeyed.err()).isZero();
                    }
                    default -> ScratchDirs.run(home, "intent", "link", id, "intent-" + s.text());
                }
            }
            Path file = dir.resolve("incremental.mvbk");
            ScratchDirs.Out made = ScratchDirs.run(home, "backup", "create", file.toString(), "--incremental",
                    "--backup-passphrase-file", pass.toString());
            assertThat(made.exit()).as(made.err()).isZero();
            long originalEntries = JSON.readTree(ScratchDirs.run(home, "audit", "verify", "--json").out()).get("entries").asLong();
            Path restored = dir.resolve("restored");
            ScratchDirs.Out back = ScratchDirs.run(restored, "restore", full.toString(), file.toString(),
                    "--backup-passphrase-file", pass.toString());
            assertThat(back.exit()).as(back.err()).isZero();
            ScratchDirs.Out verified = ScratchDirs.run(restored, "audit", "verify", "--json");
            assertThat(verified.exit()).as(verified.err()).isZero();
            // the snapshot's entries and backup.restore, where the original has the snapshot's and backup.create
            assertThat(JSON.readTree(verified.out()).get("entries").asLong()).isEqualTo(originalEntries);

            for (String id : ids) {
                assertThat(ScratchDirs.run(restored, "show", id, "--json").out()).isEqualTo(ScratchDirs.run(home, "show", id, "--json").out());
                assertThat(ScratchDirs.run(restored, "intent", "get", id, "--json").out())
                        .isEqualTo(ScratchDirs.run(home, "intent", "get", id, "--json").out());
            }
            for (Step s : history) {
                assertThat(ScratchDirs.run(restored, "search", s.text(), "--json").out())
                        .isEqualTo(ScratchDirs.run(home, "search", s.text(), "--json").out());
            }
            for (String id : ids) {
                JsonNode shown = JSON.readTree(ScratchDirs.run(restored, "show", id, "--json").out());
                if (!shown.get("tombstone").isNull()) continue;
                ScratchDirs.Out recalled = ScratchDirs.run(restored, "recall", id, "--justification", "after restore");
                assertThat(recalled.exit()).as(recalled.err()).isZero();
                assertThat(recalled.out()).isEqualTo(contents.get(id));
            }
        } finally {
            ScratchDirs.delete(dir);
        }
    }
}
