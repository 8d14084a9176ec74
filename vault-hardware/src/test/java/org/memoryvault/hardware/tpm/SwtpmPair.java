package org.memoryvault.hardware.tpm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Two software TPMs for a conformance kit ("mine" and another machine's), started on first use and stopped by the class's @AfterAll. */
final class SwtpmPair {
    private final String prefix;
    private final Consumer<Swtpm> prepare;
    private Swtpm mine;
    private Swtpm other;

    SwtpmPair(String prefix, Consumer<Swtpm> prepare) {
        this.prefix = prefix;
        this.prepare = prepare;
    }

    synchronized Swtpm mine() {
        start();
        return mine;
    }

    synchronized Swtpm other() {
        start();
        return other;
    }

    private void start() {
        if (mine != null) return;
        try {
            Path dir = Files.createTempDirectory(prefix);
            mine = Swtpm.start(dir.resolve("mine"));
            other = Swtpm.start(dir.resolve("other"));
            prepare.accept(mine);
            prepare.accept(other);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void stop() {
        if (mine != null) mine.close();
        if (other != null) other.close();
        mine = null;
        other = null;
    }
}
