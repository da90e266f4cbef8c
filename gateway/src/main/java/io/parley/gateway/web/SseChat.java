package io.parley.gateway.web;

import io.parley.gateway.chat.ChatConnection;
import io.parley.gateway.chat.ChatSession;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The fallback transport for proxies that block WebSockets: frames to the browser as server-sent
 * events on one long-lived response, frames from the browser as POSTs. Same protocol, same
 * {@link ChatSession}. Writes are serialized: Jetty takes one pending write per response.
 */
final class SseChat implements ChatConnection {

    /** Frames held for a browser that is slow or has not opened its stream yet. */
    static final int MAX_QUEUED = 256;

    private final String id;
    private final Runnable onClosed;
    final ChatSession session;
    private final Deque<String> queue = new ArrayDeque<>();
    private final long createdNanos = System.nanoTime();
    private Response response;
    private Callback done;
    private boolean writing;
    private boolean closed;
    private String closeReason;

    SseChat(String id, ChatSession.Services services, Runnable onClosed) {
        this.id = id;
        this.onClosed = onClosed;
        this.session = new ChatSession(this, services);
    }

    String id() {
        return id;
    }

    /** The reason the session closed during hello, or null while it is open. */
    synchronized String closeReason() {
        return closed ? closeReason : null;
    }

    /** Attaches the event stream; false when one is attached already or the session is closed. */
    boolean attach(Response stream, Callback streamDone) {
        synchronized (this) {
            if (closed || response != null) {
                return false;
            }
            this.response = stream;
            this.done = streamDone;
        }
        flush();
        return true;
    }

    @Override
    public void send(String frame) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= MAX_QUEUED) {
                closeReason = "too slow";
                closed = true;
            } else {
                queue.addLast("data: " + frame + "\n\n");
            }
        }
        if (isClosed()) {
            finish();
            return;
        }
        flush();
    }

    /** Whether the browser never opened the stream within {@code nanos} of the hello. */
    synchronized boolean abandoned(long nanos) {
        return response == null && System.nanoTime() - createdNanos > nanos;
    }

    /** A comment line keeps proxies and Jetty's idle timeout from closing a quiet stream. */
    void heartbeat() {
        synchronized (this) {
            if (closed || response == null || !queue.isEmpty()) {
                return;
            }
            queue.addLast(": keep-alive\n\n");
        }
        flush();
    }

    @Override
    public void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.addLast("event: close\ndata: {\"code\":" + code + ",\"reason\":\"" + reason.replace("\"", "'") + "\"}\n\n");
            closed = true;
            closeReason = reason;
        }
        flush();
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void flush() {
        String next;
        Response target;
        boolean end = false;
        synchronized (this) {
            if (writing || response == null) {
                return;
            }
            next = queue.pollFirst();
            if (next == null) {
                if (!closed || done == null) {
                    return;
                }
                end = true;
            }
            writing = !end;
            target = response;
        }
        if (end) {
            finish();
            return;
        }
        target.write(false, ByteBuffer.wrap(next.getBytes(StandardCharsets.UTF_8)), new Callback() {
            @Override
            public void succeeded() {
                synchronized (SseChat.this) {
                    writing = false;
                }
                flush();
            }

            @Override
            public void failed(Throwable failure) {
                synchronized (SseChat.this) {
                    closed = true;
                    writing = false;
                }
                finish();
            }
        });
    }

    /** Ends the stream and detaches the session. */
    void finish() {
        Callback callback;
        synchronized (this) {
            closed = true;
            callback = done;
            done = null;
        }
        session.onClose();
        onClosed.run();
        if (callback != null) {
            callback.succeeded();
        }
    }
}
