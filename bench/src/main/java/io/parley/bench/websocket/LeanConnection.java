package io.parley.bench.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One browser of the ws-clients process, allocation-light: it reads each frame's payload bytes as
 * Jetty hands them over ({@link #onWebSocketFrame}, no string per frame), picks the few fields it
 * needs with a reused streaming reader ({@link FrameFields}, no JSON tree), and writes what it saw
 * into the columns of a {@link MessageLog}. Its message {@code k}'s client id is {@code k} itself,
 * so an ack finds its message without a map; a reply finds its message among this connection's
 * few recent ones by comparing event ids. Public because Jetty invokes the listener reflectively.
 */
public final class LeanConnection implements Session.Listener.AutoDemanding, ConnectRamp.Greeting {

    private static final ThreadLocal<FrameFields> FIELDS = ThreadLocal.withInitial(FrameFields::new);

    private final String hello;
    private final LongSupplier nanoTime;
    private final LongSupplier wallMicros;
    private final WebSocketFleet.Counters counters;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Callback sendCallback;
    private volatile Session session;
    private volatile boolean closing;
    /** A message split over several frames, assembled; null almost always. Guarded by this. */
    private ByteArrayOutputStream partial;
    /** Guarded by this: the log, this connection's slot (its place among the greeted), its latest message. */
    private MessageLog log;
    private int slot = -1;
    private int lastSent = -1;
    /** Replies that overtook their ack (event id, reply nanos, reply wall µs); guarded by this, null almost always. */
    private List<Object[]> early;

    LeanConnection(String hello, LongSupplier nanoTime, LongSupplier wallMicros, WebSocketFleet.Counters counters) {
        this.hello = hello;
        this.nanoTime = nanoTime;
        this.wallMicros = wallMicros;
        this.counters = counters;
        this.sendCallback = Callback.from(() -> { }, failure -> counters.sendFailed());
    }

    @Override
    public CompletableFuture<Void> ready() {
        return ready;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        session.sendText(hello, Callback.from(() -> { }, ready::completeExceptionally));
    }

    @Override
    public void onWebSocketFrame(Frame frame, Callback callback) {
        long nanos = nanoTime.getAsLong();
        long wall = wallMicros.getAsLong();
        try {
            if (frame.getType().isData()) {
                data(frame, nanos, wall);
            }
        } finally {
            callback.succeed();
        }
    }

    private void data(Frame frame, long nanos, long wall) {
        FrameFields fields = FIELDS.get();
        boolean readable;
        synchronized (this) {
            if (!frame.isFin() || partial != null) {
                if (partial == null) {
                    partial = new ByteArrayOutputStream();
                }
                ByteBuffer payload = frame.getPayload();
                byte[] chunk = new byte[payload.remaining()];
                payload.get(payload.position(), chunk, 0, chunk.length);
                partial.write(chunk, 0, chunk.length);
                if (!frame.isFin()) {
                    return;
                }
                byte[] whole = partial.toByteArray();
                partial = null;
                readable = fields.read(whole, whole.length);
            } else {
                readable = fields.read(frame.getPayload());
            }
        }
        if (!readable) {
            counters.unreadableFrame();
            return;
        }
        switch (fields.kind()) {
            case READY -> ready.complete(null);
            case ACK -> acked(fields, nanos);
            case REPLY -> replied(fields, nanos, wall);
            case ERROR -> refused(fields);
            default -> counters.unreadableFrame();
        }
    }

    /** Whether {@code k} is a message this connection sent. Caller holds the monitor. */
    private boolean mine(long k) {
        return log != null && k >= 0 && k <= lastSent && k % log.connections == slot && log.sentNanos[(int) k] >= 0;
    }

    private synchronized void acked(FrameFields fields, long nanos) {
        long k = fields.clientId();
        if (!mine(k) || !fields.hasId() || log.ackNanos[(int) k] >= 0) {
            counters.unmatchedFrame();
            return;
        }
        int i = (int) k;
        log.ackNanos[i] = nanos;
        log.eventId[i] = fields.id();
        if (early != null) {
            for (int e = 0; e < early.size(); e++) {
                Object[] reply = early.get(e);
                if (reply[0].equals(log.eventId[i])) {
                    log.replied(i, (Long) reply[1], (Long) reply[2]);
                    early.remove(e);
                    break;
                }
            }
        }
    }

    private synchronized void replied(FrameFields fields, long nanos, long wall) {
        if (log == null || !fields.hasId()) {
            counters.unmatchedFrame();
            return;
        }
        boolean unacked = false;
        for (int k = lastSent; k >= 0; k -= log.connections) {
            if (log.sentNanos[k] < 0) {
                continue;
            }
            if (fields.idEquals(log.eventId[k])) {
                if (!log.replied(k, nanos, wall)) {
                    counters.duplicateReply();
                }
                return;
            }
            unacked |= log.ackNanos[k] < 0;
        }
        if (!unacked) {
            counters.unmatchedFrame();
            return;
        }
        if (early == null) {
            early = new ArrayList<>(2);
        }
        for (Object[] reply : early) {
            if (fields.idEquals((String) reply[0])) {
                counters.duplicateReply();
                return;
            }
        }
        early.add(new Object[] {fields.id(), nanos, wall});
    }

    private synchronized void refused(FrameFields fields) {
        String code = fields.errorCode();
        counters.refused(code);
        long k = fields.clientId();
        if (mine(k)) {
            log.refused((int) k, code);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        if (!closing) {
            counters.dropped(statusCode);
        }
        ready.completeExceptionally(new IllegalStateException("closed by the gateway with " + statusCode + " " + reason));
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        ready.completeExceptionally(cause);
    }

    /** Takes this connection's place among the greeted ones before the sending starts. */
    synchronized void assign(MessageLog log, int slot) {
        this.log = log;
        this.slot = slot;
    }

    /** Sends message {@code k} ({@code frame} carries {@code k} as its client id); false when the connection is not open. */
    boolean send(int k, String frame) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return false;
        }
        synchronized (this) {
            log.sent(k, nanoTime.getAsLong(), wallMicros.getAsLong());
            lastSent = k;
        }
        s.sendText(frame, sendCallback);
        return true;
    }

    /** Every message this connection sent, as records. */
    synchronized List<MessageTimes> times() {
        List<MessageTimes> times = new ArrayList<>();
        if (log != null) {
            for (int k = slot; k <= lastSent; k += log.connections) {
                if (log.sentNanos[k] >= 0) {
                    times.add(log.times(k));
                }
            }
        }
        return times;
    }

    @Override
    public void close() {
        closing = true;
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1000, "bench done", Callback.NOOP);
        }
    }

    boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }
}
