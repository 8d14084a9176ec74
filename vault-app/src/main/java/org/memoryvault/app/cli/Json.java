package org.memoryvault.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InternalVaultException;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Durations;
import org.memoryvault.domain.model.KeySlot;
import org.memoryvault.domain.model.Memory;
import org.memoryvault.domain.model.Metadata;
import org.memoryvault.domain.model.Profile;

/** JSON for the CLI: one mapper, the documents the commands print, and metadata parsing. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** A JSON document already written (by a module that owns its exact shape), printed as it is. */
    record Raw(String text) {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write JSON", e);
        }
    }

    /** Parses user metadata; it must be one JSON object. Returns it compact. */
    static Metadata metadata(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (!(node instanceof ObjectNode)) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata must be a JSON object, like {\"topic\":\"x\"}");
        }
        return new Metadata(write(node));
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "stored JSON is unreadable", e);
        }
    }

    static Map<String, Object> memory(Memory m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", m.id().toString());
        o.put("created_at", m.createdAt().toString());
        o.put("created_by", m.createdBy());
        o.put("classification", m.classification().level());
        o.put("classification_name", m.classification().name().toLowerCase(java.util.Locale.ROOT));
        o.put("profile", m.profile().value());
        o.put("key_version", m.keyVersion());
        o.put("cooldown", Durations.format(m.policy().cooldown().length()));
        o.put("metadata", tree(m.metadata().json()));
        o.put("intent_refs", m.intentRefs());
        o.put("content_commitment", m.commitment().hex());
        o.put("last_recalled_at", m.lastRecalledAt().map(Instant::toString).orElse(null));
        if (m.tombstone().isPresent()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("at", m.tombstone().get().at().toString());
            t.put("reason", m.tombstone().get().reason());
            t.put("by", m.tombstone().get().by());
            t.put("shredded", m.tombstone().get().shredded());
            o.put("tombstone", t);
        } else {
            o.put("tombstone", null);
        }
        return o;
    }

    static Map<String, Object> profile(Profile p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", p.id().value());
        o.put("created_at", p.createdAt().toString());
        o.put("key_version", p.keyVersion());
        List<Map<String, Object>> slots = p.slots().stream().map(Json::slot).toList();
        o.put("slots", slots);
        return o;
    }

    static Map<String, Object> slot(KeySlot s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("slot", s.slotId());
        o.put("type", s.type().wireName());
        o.put("label", s.label());
        s.kdf().ifPresent(k -> {
            o.put("argon2id_opslimit", k.opsLimit());
            o.put("argon2id_memlimit", k.memLimitBytes());
        });
        o.put("created_at", s.createdAt().toString());
        return o;
    }
}
