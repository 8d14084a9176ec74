package org.memoryvault.adapters.boundary;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.memoryvault.domain.model.Classification;
import org.memoryvault.domain.port.BoundaryGuard.Decision;

/**
 * Reads the daemon's replies. The one rule that matters: a recall is permitted only when the reply
 * is a single well-formed JSON object whose {@code success} is the boolean {@code true} and whose
 * {@code permitted} is the boolean {@code true} (and, when it names a {@code memory_class}, names the
 * one asked about). Everything else is a refusal that carries the daemon's text or says what was wrong.
 *
 * <p>Strict parsing: trailing bytes after the object and duplicate keys (which a lenient reader
 * would resolve to the last value) are malformed replies, so two readers can never disagree.
 */
final class DaemonReplies {
    static final String PREFIX = "boundary daemon: ";
    private static final String MODE_DENIAL = "Recall denied: requires ";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** What a check came to, and what it means for cached permits. */
    enum Kind {
        /** The daemon permitted the recall. */
        PERMIT,
        /** The daemon said the current mode is below the class's required mode (so every higher class is refused too). */
        MODE_TOO_LOW,
        /** Anything else: lockdown, ceremony, unknown state, errors, auth, transport, malformed replies. */
        OTHER_REFUSAL
    }

    record Answer(Decision decision, Kind kind) {
        static Answer refuse(String reason) { return new Answer(Decision.refuse(PREFIX + reason), Kind.OTHER_REFUSAL); }
    }

    private DaemonReplies() {}

    static Answer decide(byte[] reply, Classification asked) {
        JsonNode root;
        try {
            root = parseObject(reply);
        } catch (BoundaryRefusal e) {
            return Answer.refuse(e.reason());
        }
        JsonNode success = root.get("success");
        if (success == null) {
            return Answer.refuse(daemonError(root).orElse("reply has no \"success\" field"));
        }
        if (!success.isBoolean()) return Answer.refuse("reply's \"success\" is not a boolean");
        if (!success.booleanValue()) {
            String error = daemonError(root).orElse("the daemon reported a failure without an error text");
            JsonNode auth = root.get("auth_error");
            if (auth != null && auth.isBoolean() && auth.booleanValue()) {
                return Answer.refuse("the daemon rejected the vault's token: " + error);
            }
            return Answer.refuse("the daemon reported an error: " + error);
        }
        JsonNode permitted = root.get("permitted");
        if (permitted == null) return Answer.refuse("reply has no \"permitted\" field");
        if (!permitted.isBoolean()) return Answer.refuse("reply's \"permitted\" is not a boolean");
        String reason = text(root.get("reason"));
        if (!permitted.booleanValue()) {
            if (reason.isEmpty()) return Answer.refuse("recall refused (the daemon gave no reason)");
            // "requires OPEN mode, currently in LOCKDOWN" (a lockdown set with set_mode) is no mode that a higher class needs
            // more of: it drops every cached permit, like any other refusal
            Kind kind = reason.startsWith(MODE_DENIAL) && !reason.toUpperCase(Locale.ROOT).contains("LOCKDOWN")
                    ? Kind.MODE_TOO_LOW : Kind.OTHER_REFUSAL;
            return new Answer(Decision.refuse(PREFIX + reason), kind);
        }
        JsonNode echoed = root.get("memory_class");
        if (echoed != null && !(echoed.isIntegralNumber() && echoed.canConvertToInt() && echoed.intValue() == asked.level())) {
            return Answer.refuse("the permit is for memory_class " + PrintableText.of(echoed.toString())
                    + ", not for the class asked about (" + asked.level() + ")");
        }
        return new Answer(Decision.permit(PREFIX + (reason.isEmpty() ? "Recall permitted" : reason)), Kind.PERMIT);
    }

    static DaemonStatus status(byte[] reply) {
        JsonNode root;
        try {
            root = parseObject(reply);
        } catch (BoundaryRefusal e) {
            return new DaemonStatus.Unavailable(PREFIX + e.reason());
        }
        JsonNode success = root.get("success");
        if (success == null || !success.isBoolean() || !success.booleanValue()) {
            return new DaemonStatus.Unavailable(PREFIX + daemonError(root).map(e -> "the daemon reported an error: " + e)
                    .orElse("status reply has no \"success\": true"));
        }
        JsonNode state = root.path("status").path("boundary_state");
        JsonNode mode = state.get("mode");
        if (mode == null || !mode.isTextual() || text(mode).isEmpty()) {
            return new DaemonStatus.Unavailable(PREFIX + "status reply has no status.boundary_state.mode");
        }
        JsonNode network = state.get("network");
        String networkText = network != null && network.isTextual() && !text(network).isEmpty()
                ? text(network).toLowerCase(Locale.ROOT) : "unknown";
        JsonNode lockdown = root.path("status").get("lockdown");
        // the daemon's lockdown shows either in status.lockdown or, when set with set_mode, only as the mode
        boolean inLockdown = (lockdown != null && !lockdown.isNull() && !(lockdown.isBoolean() && !lockdown.booleanValue()))
                || text(mode).equalsIgnoreCase("lockdown");
        return new DaemonStatus.Running(text(mode).toLowerCase(Locale.ROOT), networkText, inLockdown);
    }

    private static JsonNode parseObject(byte[] reply) throws BoundaryRefusal {
        // The bytes must be UTF-8 before Jackson reads them. Its byte parser pads a name's last
        // partial 4-byte group with 0xFF bytes, so once it has seen "ss" it reads the malformed
        // name 0xFF "ss" as "ss" instead of refusing it (found by DaemonRepliesFuzzTest; the same
        // holds for "permitte" 0xFF 0xFF 0xFF "d" after "permitted").
        // And the text is parsed, not the bytes: from bytes Jackson also guesses UTF-16 and UTF-32,
        // which the UTF-8 check lets through when the text is ASCII.
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(reply)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BoundaryRefusal("reply is not well-formed JSON (not UTF-8)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonEOFException e) {
            throw new BoundaryRefusal("truncated reply (the connection closed in the middle of the JSON)");
        } catch (JacksonException e) {
            throw new BoundaryRefusal("reply is not well-formed JSON (garbage, trailing bytes or duplicate keys)");
        } catch (IOException e) {
            throw new BoundaryRefusal("reply could not be read as JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || root.isMissingNode()) throw new BoundaryRefusal("empty reply");
        if (!root.isObject()) throw new BoundaryRefusal("reply is JSON but not an object");
        return root;
    }

    private static Optional<String> daemonError(JsonNode root) {
        String error = text(root.get("error"));
        return error.isEmpty() ? Optional.empty() : Optional.of(error);
    }

    /** The node's text made printable; empty when the node is absent or not a string. */
    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? PrintableText.of(node.textValue()) : "";
    }
}
