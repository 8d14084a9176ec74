package org.memoryvault.adapters.boundary;

/**
 * Why the daemon client could not get an answer (token file, socket, transport, reply). Caught
 * inside this package and turned into a refusal; never leaves it.
 *
 * <p>Security: the message is safe to print; it never contains the token or a reply's raw bytes.
 */
final class BoundaryRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    BoundaryRefusal(String safeReason) {
        super(safeReason, null, false, false);
    }

    String reason() { return java.util.Objects.requireNonNullElse(getMessage(), "boundary check failed"); }
}
