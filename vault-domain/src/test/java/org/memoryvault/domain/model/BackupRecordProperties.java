package org.memoryvault.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.memoryvault.domain.error.IntegrityException;

/** Backup records (docs/FORMAT.md §14): every record decodes to itself; any other bytes are a clear refusal, never a crash. */
class BackupRecordProperties {
    @Provide Arbitrary<BackupRecord> records() {
        Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.strings().ofMaxLength(50).map(s -> (Object) s),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> (Object) b)).injectNull(0.15);
        Arbitrary<BackupRecord> rows = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)
                .flatMap(t -> value.list().ofMaxSize(12).map(v -> BackupRecord.row(t, v)));
        Arbitrary<BackupRecord> files = Arbitraries.strings().ofMaxLength(40)
                .flatMap(p -> Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(b -> BackupRecord.file(p, b)));
        Arbitrary<BackupRecord> ends = Arbitraries.longs().flatMap(r -> Arbitraries.longs().map(f -> BackupRecord.end(r, f)));
        Arbitrary<BackupRecord> deletions = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)
                .flatMap(t -> Arbitraries.oneOf(Arbitraries.longs().map(l -> (Object) l), Arbitraries.strings().ofMaxLength(30).map(x -> (Object) x))
                        .list().ofMinSize(1).ofMaxSize(2).map(k -> BackupRecord.deletion(t, k)));
        Arbitrary<TableSummary> table = Arbitraries.longs().greaterOrEqual(0).flatMap(n -> Arbitraries.strings().withChars("0123456789abcdef")
                .ofLength(64).map(d -> new TableSummary(n, d)));
        Arbitrary<BackupRecord> summaries = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(20), table)
                .ofMaxSize(20).map(BackupRecord::summary);
        return Arbitraries.oneOf(rows, files, ends, deletions, summaries);
    }

    @Property
    void everyRecord_decodesToItself(@ForAll("records") BackupRecord r) {
        BackupRecord back = BackupRecord.decode(r.encode());
        assertThat(back).isEqualTo(r);
        assertThat(back.kind()).isEqualTo(r.kind());
        assertThat(back.name()).isEqualTo(r.name());
        assertThat(back.tables()).isEqualTo(r.tables());
        List<Object> a = back.values();
        List<Object> b = r.values();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) instanceof byte[] x) assertThat(x).isEqualTo((byte[]) b.get(i));
            else assertThat(a.get(i)).isEqualTo(b.get(i));
        }
    }

    @Property
    void aRecordCutShortOrLengthened_isRefusedAsDamaged(@ForAll("records") BackupRecord r) {
        byte[] bytes = r.encode();
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> BackupRecord.decode(cut)).isInstanceOf(IntegrityException.class);
        }
        assertThatThrownBy(() -> BackupRecord.decode(Arrays.copyOf(bytes, bytes.length + 1))).isInstanceOf(IntegrityException.class);
    }

    @Property
    void anyBytes_decodeOrAreRefusedAsDamaged(@ForAll byte[] bytes) {
        try {
            BackupRecord.decode(bytes);
        } catch (IntegrityException expected) {
            // a refusal with a stable code is the only other outcome
        }
    }
}
