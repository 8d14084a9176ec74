package org.memoryvault.hardware.tpm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import tss.Tpm;
import tss.tpm.TPMT_HA;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;

/**
 * TEST ONLY: a software TPM (swtpm, Debian package {@code swtpm}) serving raw TPM 2.0 commands on a
 * loopback TCP port, its state in a directory of the test's, started and stopped by the test.
 * Without swtpm installed the tests that need it are skipped, unless {@code VAULT_REQUIRE_SWTPM=1}
 * (as in CI), where that is a failure.
 */
public final class Swtpm implements AutoCloseable {
    private final Process process;
    private final int port;

    private Swtpm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Skips the calling test where swtpm is not installed (fails instead when CI requires it). */
    public static void assumeInstalled() {
        boolean installed = List.of("/usr/bin/swtpm", "/usr/local/bin/swtpm").stream().anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!installed && "1".equals(System.getenv("VAULT_REQUIRE_SWTPM"))) {
            throw new IllegalStateException("swtpm is not installed but VAULT_REQUIRE_SWTPM=1 (apt-get install -y swtpm)");
        }
        Assumptions.assumeTrue(installed, "swtpm is not installed (apt-get install -y swtpm)");
    }

    /** Starts a TPM whose state lives in {@code stateDir} (a new directory is a new TPM; the same one, the same TPM again). */
    public static Swtpm start(Path stateDir) {
        assumeInstalled();
        try {
            Files.createDirectories(stateDir);
            int port = freePort();
            int ctrl = freePort();
            Process p = new ProcessBuilder("swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + stateDir,
                    "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1", "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
                    "--flags", "not-need-init,startup-clear")
                    .redirectErrorStream(true).redirectOutput(stateDir.resolve("swtpm.log").toFile()).start();
            Swtpm tpm = new Swtpm(p, port);
            // jqwik runs a kit's properties outside JUnit's @AfterAll: never leave a TPM running after the test JVM
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) throw new IllegalStateException("swtpm exited: " + Files.readString(stateDir.resolve("swtpm.log")));
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return tpm;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            tpm.close();
            throw new IllegalStateException("swtpm did not listen on port " + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The device string for {@code $MEMORY_VAULT_TPM}. */
    public String device() { return "tpm:tcp:127.0.0.1:" + port; }

    /** Extends a PCR of the SHA-256 bank with a random measurement (what a changed boot component does). */
    public void extendPcr(int pcr) {
        SwtpmTcpDevice dev = new SwtpmTcpDevice("127.0.0.1", port);
        if (!dev.connect()) throw new IllegalStateException("swtpm is not answering");
        Tpm tpm = new Tpm();
        tpm._setDevice(dev);
        try {
            byte[] measurement = new byte[32];
            new java.security.SecureRandom().nextBytes(measurement);
            tpm.PCR_Extend(TPM_HANDLE.pcr(pcr), new TPMT_HA[] {new TPMT_HA(TPM_ALG_ID.SHA256, measurement)});
        } finally {
            try {
                tpm.close();
            } catch (IOException ignored) {
                // closing the connection
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
