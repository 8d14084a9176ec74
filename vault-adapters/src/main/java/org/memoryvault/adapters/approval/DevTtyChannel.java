package org.memoryvault.adapters.approval;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** The controlling terminal as a {@link TerminalApprovalGate.HumanChannel}. No terminal: empty. */
final class DevTtyChannel implements TerminalApprovalGate.HumanChannel {
    private final Path device;

    DevTtyChannel(Path device) { this.device = device; }

    @Override
    public Optional<String> ask(String text) {
        try (FileOutputStream out = new FileOutputStream(device.toFile());
             FileInputStream in = new FileInputStream(device.toFile())) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return Optional.ofNullable(reader.readLine());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
