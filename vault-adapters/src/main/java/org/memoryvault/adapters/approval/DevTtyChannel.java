package org.memoryvault.adapters.approval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** The controlling terminal as a {@link TerminalApprovalGate.HumanChannel}. No terminal: empty. */
final class DevTtyChannel implements TerminalApprovalGate.HumanChannel {
    private final Path device;

    DevTtyChannel(Path device) { this.device = device; }

    @Override
    public Optional<String> ask(String text) {
        // a terminal is a device, never a regular file, and is never created here
        if (!Files.exists(device) || Files.isRegularFile(device) || Files.isDirectory(device)) return Optional.empty();
        try (OutputStream out = Files.newOutputStream(device, StandardOpenOption.WRITE);
             InputStream in = Files.newInputStream(device, StandardOpenOption.READ)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return Optional.ofNullable(reader.readLine());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
