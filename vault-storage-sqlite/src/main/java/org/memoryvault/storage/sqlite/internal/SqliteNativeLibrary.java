package org.memoryvault.storage.sqlite.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sqlite.util.OSInfo;

/**
 * Points sqlite-jdbc at a native library the build unpacked once, when there is one for this
 * platform, instead of letting it copy the library out of its jar into a temporary file at every
 * start (tens of milliseconds per CLI command). The directory comes from the system property
 * {@value #PROPERTY}, which the {@code vault} launcher sets to {@code vault-app/target/native}; it
 * is as trusted as the jars beside it. Without it, or without a library for this platform,
 * sqlite-jdbc loads as it always does.
 */
public final class SqliteNativeLibrary {
    public static final String PROPERTY = "memoryvault.sqlite.native";

    private SqliteNativeLibrary() {}

    /** Sets {@code org.sqlite.lib.path}/{@code name} before the driver first loads; idempotent. */
    public static synchronized void preferUnpacked() {
        String root = System.getProperty(PROPERTY);
        if (root == null || root.isBlank() || System.getProperty("org.sqlite.lib.path") != null) return;
        Path dir = Path.of(root, "org", "sqlite", "native").resolve(OSInfo.getNativeLibFolderPathForCurrentOS());
        String name = System.mapLibraryName("sqlitejdbc");
        if (Files.isRegularFile(dir.resolve(name))) {
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        }
    }
}
