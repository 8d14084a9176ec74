package org.memoryvault.app.wiring;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.inject.Inject;
import org.memoryvault.audit.AuditCheckpoints;
import org.memoryvault.audit.CanonicalJson;
import org.memoryvault.audit.SignedCheckpoint;
import org.memoryvault.crypto.AgeFiles;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.model.Heir;
import org.memoryvault.domain.port.HeirPackager;

/**
 * Heir packages (docs/RECOVERY.md, "Heir packages"): per heir, a standard age file to the heir's
 * recipient whose payload is one JSON document, the manifest and the contents:
 * {@code {"format":"memory-vault/heir-package/1","heir":..,"prepared_at":..,"release_after":..,
 * "justification":..,"checkpoint":..,"memories":[{"id":..,"classification":..,"created_at":..,
 * "created_by":..,"metadata":{..},"content_base64":..}]}}. The plaintext is built in a buffer that is
 * zeroed after encryption; it never touches disk.
 */
final class AgeHeirPackager implements HeirPackager {
    static final String FORMAT = "memory-vault/heir-package/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditCheckpoints checkpoints;

    @Inject
    AgeHeirPackager(AuditCheckpoints checkpoints) { this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints"); }

    @Override
    public Map<String, byte[]> seal(List<Heir> heirs, Manifest manifest, List<Item> items) {
        String checkpoint = checkpoints.latestCheckpoint().map(SignedCheckpoint::note).orElse("");
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Heir heir : heirs) {
            WipedBuffer buffer = new WipedBuffer();
            try {
                try (JsonGenerator g = JSON.getFactory().createGenerator(buffer, JsonEncoding.UTF8)) {
                    g.writeStartObject();
                    g.writeStringField("format", FORMAT);
                    g.writeStringField("heir", heir.name());
                    g.writeStringField("prepared_at", CanonicalJson.instant(manifest.preparedAt()));
                    g.writeStringField("release_after", CanonicalJson.instant(manifest.deadline()));
                    g.writeStringField("justification", manifest.justification());
                    g.writeStringField("checkpoint", checkpoint);
                    g.writeArrayFieldStart("memories");
                    for (Item item : items) {
                        g.writeStartObject();
                        g.writeStringField("id", item.memory().id().toString());
                        g.writeNumberField("classification", item.memory().classification().level());
                        g.writeStringField("created_at", CanonicalJson.instant(item.memory().createdAt()));
                        g.writeStringField("created_by", item.memory().createdBy());
                        g.writeFieldName("metadata");
                        g.writeTree(JSON.readTree(item.memory().metadata().json()));
                        g.writeFieldName("content_base64");
                        g.writeBinary(item.content().revealForCrypto());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                out.put(heir.name(), AgeFiles.encrypt(buffer.bytes(), heir.recipient()));
            } catch (IOException e) {
                throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "writing an heir package failed", e);
            } finally {
                buffer.wipe();
            }
        }
        return out;
    }

    /** A byte buffer whose every copy this class makes is zeroed. */
    private static final class WipedBuffer extends ByteArrayOutputStream {
        private byte[] view = new byte[0];

        synchronized byte[] bytes() {
            view = Arrays.copyOf(buf, count);
            return view;
        }

        synchronized void wipe() {
            Arrays.fill(buf, (byte) 0);
            Arrays.fill(view, (byte) 0);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                byte[] old = buf;
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
                Arrays.fill(old, (byte) 0);          // the buffer it outgrew held plaintext too
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public synchronized void write(int b) { write(new byte[] {(byte) b}, 0, 1); }
    }
}
