package org.memoryvault.adapters.boundary;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One request/reply exchange with the daemon, as its protocol wants it: connect, write one request
 * in one write, read the reply to end of stream, close.
 *
 * <p>A non-blocking channel and a {@link Selector} keep one deadline over connect, write and read,
 * so a daemon that accepts and then stays silent (or trickles bytes) cannot hold the caller past
 * the timeout. The reply is capped: a byte beyond the cap ends the exchange.
 */
final class UnixSocketExchange {
    private static final String CLOSED_WITHOUT_REPLY = "the daemon closed the connection without a reply (it drops peers"
            + " that are neither root nor its own user)";

    private UnixSocketExchange() {}

    static byte[] exchange(Path socket, byte[] request, Duration timeout, int maxReplyBytes) throws BoundaryRefusal {
        long deadline = System.nanoTime() + timeout.toNanos();
        String limit = timeout.toMillis() + " ms";
        if (!Files.exists(socket)) {
            throw new BoundaryRefusal("no socket at " + socket + " (is the daemon running? see boundary.socket)");
        }
        boolean connected = false;
        int received = 0;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                key.interestOps(SelectionKey.OP_CONNECT);
                while (!channel.finishConnect()) await(selector, deadline, "no connection within " + limit);
            }
            connected = true;
            ByteBuffer out = ByteBuffer.wrap(request);
            channel.write(out);
            while (out.hasRemaining()) {         // a request fits one socket buffer; this only guards odd kernels
                key.interestOps(SelectionKey.OP_WRITE);
                await(selector, deadline, "could not send the request within " + limit);
                channel.write(out);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(maxReplyBytes + 1);
            while (true) {
                int n = channel.read(in);
                if (n < 0) break;
                received = in.position();
                if (received > maxReplyBytes) {
                    throw new BoundaryRefusal("oversized reply (more than " + maxReplyBytes + " bytes)");
                }
                if (n == 0) await(selector, deadline, "no reply within " + limit);
            }
            if (received == 0) throw new BoundaryRefusal(CLOSED_WITHOUT_REPLY);
            return Arrays.copyOf(in.array(), received);
        } catch (ConnectException e) {
            throw new BoundaryRefusal("connection refused at " + socket + " (the socket file exists but no daemon is listening)");
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new BoundaryRefusal("interrupted while talking to the daemon");
        } catch (IOException e) {
            // A peer that closes with our request unread makes Linux report a reset or broken pipe instead of EOF.
            if (connected && received == 0) throw new BoundaryRefusal(CLOSED_WITHOUT_REPLY);
            if (connected) throw new BoundaryRefusal("the connection broke in the middle of the reply (" + describe(e) + ")");
            if (!Files.isWritable(socket)) {
                throw new BoundaryRefusal("no permission to connect to " + socket
                        + " (run the vault as root or as the daemon's user)");
            }
            throw new BoundaryRefusal("cannot connect to the daemon at " + socket + ": " + describe(e));
        }
    }

    private static void await(Selector selector, long deadline, String onTimeout) throws IOException, BoundaryRefusal {
        while (true) {
            if (Thread.currentThread().isInterrupted()) throw new BoundaryRefusal("interrupted while talking to the daemon");
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new BoundaryRefusal(onTimeout);
            int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (ready > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + PrintableText.of(message));
    }
}
