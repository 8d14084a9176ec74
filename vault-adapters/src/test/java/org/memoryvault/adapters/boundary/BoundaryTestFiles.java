package org.memoryvault.adapters.boundary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Token files for the daemon client's tests, created with their final mode (no wider window). */
final class BoundaryTestFiles {
    private BoundaryTestFiles() {}

    static Path tokenFile(Path dir, String content, String permissions) throws IOException {
        Path file = Files.createTempFile(dir, "token", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    static Path tokenFile(Path dir, String token) throws IOException {
        return tokenFile(dir, token + "\n", "rw-------");
    }
}
