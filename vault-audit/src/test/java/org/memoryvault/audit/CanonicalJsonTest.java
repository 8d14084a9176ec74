package org.memoryvault.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.memoryvault.audit.internal.FlatJson;
import org.memoryvault.domain.error.InvalidInputException;
import org.memoryvault.domain.model.AuditEvent;

class CanonicalJsonTest {
    @Test
    void entry_sortsKeys_addsTypeAtSeq_andHasNoWhitespace() {
        AuditEvent e = AuditEvent.of("memory.store", Instant.parse("2025-03-01T12:00:00.250123Z"))
                .with("profile", "default").with("classification", 3).with("approved", true);
        assertThat(CanonicalJson.entry(e, 7)).isEqualTo(
                "{\"approved\":true,\"at\":\"2025-03-01T12:00:00.250Z\",\"classification\":3,\"profile\":\"default\",\"seq\":7,\"type\":\"memory.store\"}");
    }

    @Test
    void instant_alwaysHasThreeFractionDigits() {
        assertThat(CanonicalJson.instant(Instant.parse("2025-01-02T03:04:05Z"))).isEqualTo("2025-01-02T03:04:05.000Z");
        assertThat(CanonicalJson.instant(Instant.parse("1970-01-01T00:00:00.999999999Z"))).isEqualTo("1970-01-01T00:00:00.999Z");
    }

    @Test
    void strings_areEscapedMinimally() {
        assertThat(CanonicalJson.quote("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(CanonicalJson.quote("\b\t\n\f\r")).isEqualTo("\"\\b\\t\\n\\f\\r\"");
        assertThat(CanonicalJson.quote("\u0000\u001f\u007f")).isEqualTo("\"\\u0000\\u001f\u007f\"");
        assertThat(CanonicalJson.quote("é€\u2028😀")).isEqualTo("\"é€\u2028😀\"");
        assertThat(CanonicalJson.quote("x\ud800y\udc00")).isEqualTo("\"x\\ud800y\\udc00\"");
    }

    @Test
    void reservedFieldNames_areRefused() {
        for (String name : new String[] {"type", "at", "seq"}) {
            AuditEvent e = AuditEvent.of("x", Instant.EPOCH).with(name, "spoof");
            assertThatThrownBy(() -> CanonicalJson.entry(e, 0)).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void flatJson_readsBackWhatCanonicalJsonWrites() {
        TreeMap<String, Object> m = new TreeMap<>(Map.of("a", "x\"\\\n\u0001é\ud800", "b", -12L, "c", false, "d", Long.MAX_VALUE));
        String text = CanonicalJson.object(m);
        assertThat(FlatJson.parse(text)).contains(m);
    }

    @Test
    void flatJson_rejectsNonFlatOrSloppyJson() {
        for (String bad : new String[] {"", "{", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.5}", "{\"a\":null}", "{\"a\":{}}",
                "{\"a\":[1]}", "{\"a\":1,\"a\":2}", "{\"a\":1}x", "{\"a\":\"\u0001\"}", "{\"a\":99999999999999999999}",
                "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}"}) {
            assertThat(FlatJson.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void nonCanonicalButParseableText_isDetectedByReencoding() {
        for (String sloppy : new String[] {"{ \"a\":1}", "{\"b\":1,\"a\":2}", "{\"a\":\"\\u00e9\"}", "{\"a\":\"\\/\"}"}) {
            boolean canonical = FlatJson.parse(sloppy).map(m -> CanonicalJson.object(m).equals(sloppy)).orElse(false);
            assertThat(canonical).as(sloppy).isFalse();
        }
    }
}
