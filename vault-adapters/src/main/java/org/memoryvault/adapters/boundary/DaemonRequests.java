package org.memoryvault.adapters.boundary;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The two requests the vault sends, as the bytes of one JSON object each. Built by hand rather
 * than by a JSON library so that the token goes from its file's bytes into the request's bytes
 * without ever becoming a {@code String}; the token is checked to be url-safe ASCII, so it needs
 * no escaping.
 */
final class DaemonRequests {
    private static final byte[] STATUS = "{\"command\":\"status\"}".getBytes(StandardCharsets.US_ASCII);

    private DaemonRequests() {}

    /** {@code {"command":"check_recall","params":{"memory_class":N},"token":"bd_..."}}; the caller must wipe it. */
    static byte[] checkRecall(int memoryClass, DaemonToken token) {
        byte[] head = ("{\"command\":\"check_recall\",\"params\":{\"memory_class\":" + memoryClass + "},\"token\":\"")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] secret = token.revealForRequest();
        byte[] request = Arrays.copyOf(head, head.length + secret.length + tail.length);
        System.arraycopy(secret, 0, request, head.length, secret.length);
        System.arraycopy(tail, 0, request, head.length + secret.length, tail.length);
        return request;
    }

    /** {@code {"command":"status"}}: the one command that needs no token. */
    static byte[] status() { return STATUS.clone(); }
}
