package org.memoryvault.hardware.fido2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** CTAP2's CBOR: RFC 8949 examples, canonical map order, round trips, and strict refusal of what CTAP2 forbids. */
class CborTest {
    private static byte[] hex(String h) { return HexFormat.of().parseHex(h); }

    @Test
    void encodesTheRfc8949Examples() {
        assertThat(Cbor.encode(0L)).isEqualTo(hex("00"));
        assertThat(Cbor.encode(23L)).isEqualTo(hex("17"));
        assertThat(Cbor.encode(24L)).isEqualTo(hex("1818"));
        assertThat(Cbor.encode(1000L)).isEqualTo(hex("1903e8"));
        assertThat(Cbor.encode(1000000L)).isEqualTo(hex("1a000f4240"));
        assertThat(Cbor.encode(1000000000000L)).isEqualTo(hex("1b000000e8d4a51000"));
        assertThat(Cbor.encode(-1L)).isEqualTo(hex("20"));
        assertThat(Cbor.encode(-1000L)).isEqualTo(hex("3903e7"));
        assertThat(Cbor.encode("IETF")).isEqualTo(hex("6449455446"));
        assertThat(Cbor.encode(hex("01020304"))).isEqualTo(hex("4401020304"));
        assertThat(Cbor.encode(List.of(1L, List.of(2L, 3L)))).isEqualTo(hex("8201820203"));
        assertThat(Cbor.encode(true)).isEqualTo(hex("f5"));
        assertThat(Cbor.encode(Cbor.Simple.NULL)).isEqualTo(hex("f6"));
    }

    @Test
    void mapKeysAreInCtap2CanonicalOrder() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("bb", 1L);
        m.put(-1L, 2L);
        m.put("a", 3L);
        m.put(10L, 4L);
        // encodings: 10 -> 0a, -1 -> 20, "a" -> 6161, "bb" -> 626262: shorter first, then bytewise
        assertThat(Cbor.encode(m)).isEqualTo(hex("a4" + "0a04" + "2002" + "616103" + "62626201"));
    }

    @Property
    void everyValueRoundTrips(@ForAll("values") Object value) throws Exception {
        byte[] once = Cbor.encode(value);
        assertThat(Cbor.encode(Cbor.decode(once))).isEqualTo(once);
    }

    @Property
    void truncatedEncodingsAreRefused(@ForAll("values") Object value) {
        byte[] whole = Cbor.encode(value);
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(whole, n);
            assertThatThrownBy(() -> Cbor.decode(cut)).isInstanceOf(Cbor.MalformedException.class);
        }
    }

    @Test
    void whatCtap2ForbidsIsRefused() {
        for (String bad : new String[] {
            "5f4101ff",          // indefinite-length byte string
            "c11a514b67b0",      // a tag
            "f93c00",            // a half float
            "a201020103",        // duplicate map key
            "a1f401",            // map key that is no integer or text
            "62c328",            // text that is not UTF-8
            "5bffffffffffffffff", // a length beyond the input
            "0001",              // trailing bytes
            "818181818181818181818100", // nested deeper than allowed
        }) {
            assertThatThrownBy(() -> Cbor.decode(hex(bad))).as(bad).isInstanceOf(Cbor.MalformedException.class);
        }
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> (Object) b),
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE, Cbor.Simple.NULL).map(o -> (Object) o));
        Arbitrary<Object> list = leaf.list().ofMaxSize(5).map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.longs().between(-30, 30).map(l -> (Object) l),
                Arbitraries.strings().alpha().ofMaxLength(6).map(s -> (Object) s)), Arbitraries.oneOf(leaf, list)).ofMaxSize(6)
                .map(m -> (Object) m);
        return Arbitraries.oneOf(leaf, list, map);
    }
}
