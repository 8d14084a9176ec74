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

    /** Parses user metadata with the limits of {@link Metadata}: nesting, values, size, no duplicate keys, no trailing text. */
    private static final ObjectMapper METADATA = com.fasterxml.jackson.databind.json.JsonMapper.builder(
                    com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(
                            com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(Metadata.MAX_DEPTH)
                                    .maxNumberLength(100).maxStringLength(Metadata.MAX_BYTES).build()).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Parses user metadata; it must be one JSON object of at most {@link Metadata#MAX_BYTES} UTF-8 bytes,
     * {@link Metadata#MAX_DEPTH} levels and {@link Metadata#MAX_VALUES} values, whose numbers are finite.
     * Everything else is {@code INPUT_METADATA}. Returns it compact.
     */
    static Metadata metadata(String text) {
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Metadata.MAX_BYTES) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata is larger than " + Metadata.MAX_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = METADATA.readTree(text);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata is nested deeper than " + Metadata.MAX_DEPTH
                    + " levels or has an overlong number or string");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (!(node instanceof ObjectNode)) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata must be a JSON object, like {\"topic\":\"x\"}");
        }
        checkValues(node);
        return new Metadata(write(node));
    }

    /** Counts the values without recursion (the parser already capped the depth) and refuses non-finite numbers. */
    private static void checkValues(JsonNode root) {
        java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>(List.of(root));
        int values = 0;
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (++values > Metadata.MAX_VALUES) {
                throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata has more than " + Metadata.MAX_VALUES + " values");
            }
            if (n.isNumber() && (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
                throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata has a number too large to store exactly");
            }
            n.elements().forEachRemaining(todo::push);
        }
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
