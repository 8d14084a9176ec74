package org.memoryvault.app.wiring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import org.memoryvault.app.config.ConfigKey;
import org.memoryvault.app.config.VaultConfig;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.IntegrityException;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.port.SealWitness;

/**
 * The owner-seal witness: {@code audit.witness-file}, else {@code <vault>/owner-seal.witness}
 * (docs/FORMAT.md §12). Written 0600 by rename, never through a link. Kept in the vault directory
 * it catches a {@code vault.db} copied back alone; placed where the agent cannot write, it also
 * catches the whole directory copied back (docs/THREAT-MODEL.md).
 */
final class FileSealWitness implements SealWitness {
    static final String DEFAULT_NAME = "owner-seal.witness";
    private static final int MAX_BYTES = 4096;

    private final VaultConfig config;
    private final Path home;

    FileSealWitness(VaultConfig config, Path home) {
        this.config = Objects.requireNonNull(config, "config");
        this.home = Objects.requireNonNull(home, "home");
    }

    private Path file() {
        String configured = config.get(ConfigKey.AUDIT_WITNESS_FILE);
        return configured.isBlank() ? home.resolve(DEFAULT_NAME) : Path.of(configured);
    }

    @Override
    public Optional<String> read() {
        Path f = file();
        try {
            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > MAX_BYTES) {
                throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "it is not a small regular file", null);
            }
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IntegrityException(ErrorCode.INTEGRITY_TAMPERED, "it cannot be read", e);
        }
    }

    @Override
    public void write(String text) {
        Path f = file();
        try {
            Path dir = Objects.requireNonNull(f.toAbsolutePath().getParent(), "parent");
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".witness", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write the owner-seal witness " + f, e);
        }
    }

    @Override
    public boolean required() { return config.get(ConfigKey.AUDIT_WITNESS_FILE).isBlank(); }

    @Override
    public String location() { return file().toString(); }
}
