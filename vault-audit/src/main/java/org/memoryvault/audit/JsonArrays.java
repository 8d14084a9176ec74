package org.memoryvault.audit;

import java.util.List;

/** Small JSON writing helpers for the CLI documents; strings are escaped as {@link CanonicalJson}. */
final class JsonArrays {
    private JsonArrays() {}

    static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) b.append(',');
            CanonicalJson.quote(values.get(i), b);
        }
        return b.append(']').toString();
    }
}
