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

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** The one timestamp format of the CLI, in JSON and text: RFC 3339, UTC, milliseconds ({@code 2026-11-30T18:53:13.422Z}). */
    static String time(Instant at) { return TIME.format(at); }

    /** {@link #time} of a stored timestamp text (an ISO-8601 instant), or the text as it is if it is not one. */
    static String time(String at) {
        try {
            return time(Instant.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            return at;
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InternalVaultException(ErrorCode.INTERNAL_ERROR, "cannot write JSON", e);
        }
    }

    /** User metadata, parsed and normalised ({@link org.memoryvault.app.wiring.MetadataInput}). */
    static Metadata metadata(String text) { return org.memoryvault.app.wiring.MetadataInput.parse(text); }

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
        o.put("created_at", time(m.createdAt()));
        o.put("created_by", m.createdBy());
        o.put("classification", m.classification().level());
        o.put("classification_name", m.classification().name().toLowerCase(java.util.Locale.ROOT));
        o.put("profile", m.profile().value());
        o.put("key_version", m.keyVersion());
        o.put("cooldown", Durations.format(m.policy().cooldown().length()));
        o.put("metadata", tree(m.metadata().json()));
        o.put("intent_refs", m.intentRefs());
        o.put("content_commitment", m.commitment().hex());
        o.put("last_recalled_at", m.lastRecalledAt().map(Json::time).orElse(null));
        if (m.tombstone().isPresent()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("at", time(m.tombstone().get().at()));
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
        o.put("created_at", time(p.createdAt()));
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
        o.put("created_at", time(s.createdAt()));
        return o;
    }
}
