package org.memoryvault.app.wiring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.memoryvault.domain.error.ErrorCode;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.Metadata;

/** A memory's metadata as a user or an embedding application gives it: parsed, checked and made compact. */
public final class MetadataInput {
    private MetadataInput() {}

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
    public static Metadata parse(String text) {
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
        try {
            return new Metadata(METADATA.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(ErrorCode.INPUT_METADATA, "metadata cannot be written back as JSON");
        }
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
}
