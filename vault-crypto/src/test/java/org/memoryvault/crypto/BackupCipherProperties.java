package org.memoryvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.memoryvault.crypto.internal.Libsodium;
import org.memoryvault.domain.error.VaultException;
import org.memoryvault.domain.model.KdfParameters;
import org.memoryvault.domain.model.SlotSecret;
import org.memoryvault.domain.port.BackupCipher;

/**
 * The backup file (docs/FORMAT.md §14): what is written reads back record for record with the
 * passphrase; and every change to the file (a flipped bit anywhere, a cut anywhere, chunks in
 * another order, a chunk from another backup, a wrong passphrase) is refused with a vault error,
 * before the reader reports the end.
 */
class BackupCipherProperties {
    /** Far below every preset, to keep the properties fast; the format is the same. */
    private static final KdfParameters FAST = new KdfParameters(1, 8L << 20);
    private static final byte[] HEADER = "memory-vault backup v1\nid test\n".getBytes(StandardCharsets.UTF_8);

    private final BackupCipher cipher = new SodiumBackupCipher(new Libsodium(Libsodium.sharedBinding()));

    @Provide Arbitrary<List<byte[]>> records() {
        // sizes across the 64 KiB chunk boundary, so files have one chunk or several
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40_000).list().ofMaxSize(8);
    }

    private byte[] write(List<byte[]> records, String passphrase) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SlotSecret p = SlotSecret.passphrase(passphrase.toCharArray()); BackupCipher.Writer w = cipher.create(out, HEADER, p, FAST)) {
            for (byte[] r : records) w.write(r);
            w.finish();
        }
        return out.toByteArray();
    }

    private List<byte[]> read(byte[] file, String passphrase) {
        List<byte[]> out = new ArrayList<>();
        try (BackupCipher.Reader r = cipher.read(new ByteArrayInputStream(file)); SlotSecret p = SlotSecret.passphrase(passphrase.toCharArray())) {
            r.open(p);
            for (Optional<byte[]> next = r.next(); next.isPresent(); next = r.next()) out.add(next.get());
        }
        return out;
    }

    @Property(tries = 30)
    void whatIsWritten_readsBackRecordForRecord(@ForAll("records") List<byte[]> records) {
        byte[] file = write(records, "backup passphrase");
        try (BackupCipher.Reader r = cipher.read(new ByteArrayInputStream(file))) {
            assertThat(r.header()).isEqualTo(HEADER);
        }
        List<byte[]> back = read(file, "backup passphrase");
        assertThat(back).hasSameSizeAs(records);
        for (int i = 0; i < records.size(); i++) assertThat(back.get(i)).isEqualTo(records.get(i));
    }

    @Property(tries = 60)
    void aFlippedBitAnywhere_isRefused(@ForAll("records") List<byte[]> records, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
                                       @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] file = write(records, "backup passphrase");
        file[where % file.length] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> read(file, "backup passphrase")).isInstanceOf(VaultException.class);
    }

    @Property(tries = 60)
    void aFileCutAnywhere_isRefused(@ForAll("records") List<byte[]> records, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where) {
        byte[] file = write(records, "backup passphrase");
        byte[] cut = Arrays.copyOf(file, where % file.length);
        assertThatThrownBy(() -> read(cut, "backup passphrase")).isInstanceOf(VaultException.class);
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertThatThrownBy(() -> read(longer, "backup passphrase")).isInstanceOf(VaultException.class);
    }

    @Property(tries = 10)
    void aWrongPassphrase_isRefusedAsAWrongSecret(@ForAll("records") List<byte[]> records) {
        byte[] file = write(records, "backup passphrase");
        assertThatThrownBy(() -> read(file, "another passphrase"))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.code().name()).isEqualTo("ACCESS_WRONG_SECRET"));
    }

    @Property(tries = 10)
    void chunksReorderedOrTakenFromAnotherBackup_areRefused(@ForAll @IntRange(min = 3, max = 6) int chunks) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < chunks; i++) records.add(new byte[70_000]);              // one chunk each
        byte[] a = write(records, "backup passphrase");
        byte[] b = write(records, "backup passphrase");
        int prefix = a.length - chunks * (4 + 70_004 + 17) - (4 + 17);                // header, then the chunks, then the final one
        int size = 4 + 70_004 + 17;
        byte[] swapped = a.clone();
        System.arraycopy(a, prefix, swapped, prefix + size, size);
        System.arraycopy(a, prefix + size, swapped, prefix, size);
        assertThatThrownBy(() -> read(swapped, "backup passphrase")).isInstanceOf(VaultException.class);
        byte[] spliced = a.clone();
        System.arraycopy(b, prefix + size, spliced, prefix + size, size);             // same passphrase, another file's chunk
        assertThatThrownBy(() -> read(spliced, "backup passphrase")).isInstanceOf(VaultException.class);
    }
}
