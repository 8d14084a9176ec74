package org.memoryvault.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.memoryvault.app.wiring.Vault;
import org.memoryvault.app.wiring.VaultOptions;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AccessPolicy;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.model.KdfPreset;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Plaintext;
import org.memoryvault.domain.model.ProfileId;
import org.memoryvault.domain.model.Requester;
import org.memoryvault.domain.usecase.StoreMemory;

/**
 * {@code vault bench --backup}: a full backup of a vault of N memories of B bytes each (default
 * 2,000 of 10 KiB; {@code --full}: 100,000, about 1 GiB), then, after N/100 more stores, an
 * incremental one, and a restore of both, timed, with the JVM's peak heap of each; beside them, in the same run and on the same disk, the yardstick: copying the
 * vault's database file and syncing it (plain sequential I/O).
 */
public final class BackupBench {
    /** {@code memories} of {@code contentBytes} each; {@code under}: the directory to work in (the disk measured). */
    public record Options(int memories, int contentBytes, Optional<Path> under) {}

    private final PrintStream progress;

    public BackupBench(PrintStream progress) { this.progress = progress; }

    public Map<String, Object> run(Options options) {
        if (options.memories() < 1 || options.contentBytes() < 1 || options.contentBytes() > 1 << 20) {
            throw new InvalidInputException(ErrorCode.INPUT_INVALID, "--memories must be at least 1 and --content-bytes 1 to 1048576");
        }
        return VaultBench.inScratchDirectory(options.under(), "vault-bench", dir -> measure(dir, options));
    }

    private Map<String, Object> measure(Path dir, Options options) {
        Map<String, Object> report = new LinkedHashMap<>();
        Path pass = dir.resolve("bench.pass");
        write(pass, "bench passphrase, not a secret");
        Path home = dir.resolve("vault");
        VaultOptions vo = new VaultOptions(home, Optional.of(pass), Optional.empty(), Map.of());
        progress.println("storing " + options.memories() + " memories of " + options.contentBytes() + " bytes ...");
        try (Vault vault = Vault.init(vo, Optional.of(KdfPreset.INTERACTIVE))) {
            vault.createOwnerProfile("default", Optional.empty(), true, Optional.of(pass));
            fill(vault, 0, options.memories(), options.contentBytes());
            vault.finish();
        }
        long content = (long) options.memories() * options.contentBytes();
        report.put("memories", options.memories());
        report.put("content_mib", round(content / 1048576.0));
        report.put("vault_db_mib", round(size(home.resolve("vault.db")) / 1048576.0));
        progress.println("yardstick: copying vault.db and syncing it ...");
        report.put("yardstick_file_copy_mib_per_second", copyRate(home.resolve("vault.db"), dir.resolve("copy.db")));

        Path file = dir.resolve("bench.mvbk");
        progress.println("backup ...");
        VaultBench.resetPeaks();
        long t = System.nanoTime();
        try (Vault vault = Vault.open(vo)) {
            vault.createBackup(file, Optional.of(pass), List.of(), Optional.of("bench"));
        }
        double backupSeconds = (System.nanoTime() - t) / 1e9;
        Map<String, Object> backup = new LinkedHashMap<>();
        backup.put("seconds", round(backupSeconds));
        backup.put("content_mib_per_second", round(content / 1048576.0 / backupSeconds));
        backup.put("file_mib", round(size(file) / 1048576.0));
        backup.put("heap", VaultBench.heap());
        report.put("backup", backup);

        int more = Math.max(1, options.memories() / 100);
        progress.println("storing " + more + " more, then an incremental backup ...");
        try (Vault vault = Vault.open(vo)) {
            fill(vault, options.memories(), more, options.contentBytes());
        }
        Path incremental = dir.resolve("bench-1.mvbk");
        VaultBench.resetPeaks();
        t = System.nanoTime();
        try (Vault vault = Vault.open(vo)) {
            vault.createBackup(incremental, Optional.of(pass), List.of(), Optional.of("bench, incremental"), true,
                    org.memoryvault.app.progress.Progress.none());
        }
        Map<String, Object> inc = new LinkedHashMap<>();
        inc.put("memories_added", more);
        inc.put("seconds", round((System.nanoTime() - t) / 1e9));
        inc.put("file_mib", round(size(incremental) / 1048576.0));
        inc.put("heap", VaultBench.heap());
        report.put("incremental_backup", inc);

        progress.println("restore ...");
        VaultBench.resetPeaks();
        t = System.nanoTime();
        Vault.restore(new VaultOptions(dir.resolve("restored"), Optional.of(pass), Optional.empty(), Map.of()), List.of(file, incremental),
                Optional.of(pass), Optional.empty(), false, false, org.memoryvault.app.progress.Progress.none());
        double restoreSeconds = (System.nanoTime() - t) / 1e9;
        long restored = content + (long) more * options.contentBytes();
        Map<String, Object> restore = new LinkedHashMap<>();
        restore.put("files", 2);
        restore.put("seconds", round(restoreSeconds));
        restore.put("content_mib_per_second", round(restored / 1048576.0 / restoreSeconds));
        restore.put("heap", VaultBench.heap());
        report.put("restore", restore);
        report.put("max_heap_mib", round(Runtime.getRuntime().maxMemory() / 1048576.0));
        return report;
    }

    /** Stores memories {@code from} to {@code from + count} in batches of 500 (level 1, the key-file tier), content of pseudo-random bytes. */
    private static void fill(Vault vault, int from, int count, int contentBytes) {
        int batch = 500;
        for (int done = from; done < from + count; done += batch) {
            int n = Math.min(batch, from + count - done);
            List<StoreMemory.Request> requests = new ArrayList<>(n);
            List<Plaintext> contents = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[contentBytes];
                new SplittableRandom(done + i).nextBytes(b);
                Plaintext p = Plaintext.adopt(b);
                contents.add(p);
                requests.add(new StoreMemory.Request(p, Classification.WORKING, ProfileId.of("default"), AccessPolicy.DEFAULT,
                        new Metadata("{\"n\":" + (done + i) + "}"), List.of(), new Requester.Owner()));
            }
            vault.component().storeMemory().executeAll(requests);
            contents.forEach(Plaintext::close);
        }
    }

    /** MiB/s of copying {@code from} to {@code to} and syncing it: the disk's plain sequential rate in this run. */
    private static double copyRate(Path from, Path to) {
        long t = System.nanoTime();
        try (FileChannel in = FileChannel.open(from); FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            for (long done = 0; done < size; ) done += in.transferTo(done, size - done, out);
            out.force(true);
            return round(size / 1048576.0 / ((System.nanoTime() - t) / 1e9));
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot copy " + from, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), text);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write " + file, e);
        }
    }

    private static double round(double v) { return Math.round(v * 100) / 100.0; }
}
