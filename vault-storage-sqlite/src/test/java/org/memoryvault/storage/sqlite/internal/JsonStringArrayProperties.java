package org.memoryvault.storage.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class JsonStringArrayProperties {
    @Property(tries = 300)
    void decodeInvertsEncode(@ForAll List<String> values) {
        assertThat(JsonStringArray.decode(JsonStringArray.encode(values))).isEqualTo(values);
    }

    @Example
    void encode_isCompactJson() {
        assertThat(JsonStringArray.encode(List.of("a", "b\"c", "d\\e", "\n\u0001"))).isEqualTo(
                "[\"a\",\"b\\\"c\",\"d\\\\e\",\"\\n\\u0001\"]");
        assertThat(JsonStringArray.encode(List.of())).isEqualTo("[]");
    }

    @Example
    void decode_acceptsStandardEscapesAndWhitespace() {
        assertThat(JsonStringArray.decode(" [ \"\\u00e9\\/x\" , \"\\t\" ] ")).containsExactly("\u00e9/x", "\t");
    }

    @Example
    void decode_refusesAnythingButAnArrayOfStrings() {
        for (String bad : List.of("", "{}", "[1]", "[\"a\",]", "[\"a\"] x", "[\"\\q\"]", "[\"\\u12G4\"]", "[\"a")) {
            assertThatThrownBy(() -> JsonStringArray.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
