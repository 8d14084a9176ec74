package org.memoryvault.adapters.approval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal as a {@link TerminalApprovalGate.HumanChannel}: writes the question to
 * the device and reads one line with echo switched off ({@code stty -echo} on the device). No
 * terminal, or one whose echo cannot be switched off: empty.
 */
final class DevTtyChannel implements TerminalApprovalGate.HumanChannel {
    private static final int MAX_ANSWER_BYTES = 4096;

    private final Path device;

    DevTtyChannel(Path device) { this.device = device; }

    @Override
    public Optional<char[]> askSecret(String text) {
        // a terminal is a device, never a regular file, and is never created here
        if (!Files.exists(device) || Files.isRegularFile(device) || Files.isDirectory(device)) return Optional.empty();
        try (OutputStream out = Files.newOutputStream(device, StandardOpenOption.WRITE);
             InputStream in = Files.newInputStream(device, StandardOpenOption.READ)) {
            if (!stty("-echo")) return Optional.empty();
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Optional<char[]> line = readLine(in);
                out.write('\n');
                out.flush();
                return line;
            } finally {
                stty("echo");
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code stty} on the device; false if it is not a terminal or stty fails. */
    private boolean stty(String setting) {
        try {
            Process p = new ProcessBuilder("stty", setting).redirectInput(device.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One line (without CR/LF) as UTF-8 characters; empty at end of input or on invalid UTF-8. */
    private static Optional<char[]> readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n' && buf.size() < MAX_ANSWER_BYTES) buf.write(b);
        if (b == -1 && buf.size() == 0) return Optional.empty();
        byte[] bytes = buf.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') n--;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return Optional.of(out);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
