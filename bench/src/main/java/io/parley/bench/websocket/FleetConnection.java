package io.parley.bench.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.bench.load.NanoTimer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One browser of the fleet: greets with its token, sends messages when told, and matches what
 * comes back to what it sent: the ack by the message's client id, the reply by the acknowledged
 * event id ({@code inReplyTo}). A reply that overtakes its ack is held until the ack names it.
 * Public because Jetty invokes the listener reflectively.
 */
public final class FleetConnection implements Session.Listener.AutoDemanding, ConnectRamp.Greeting {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int index;
    private final String hello;
    private final NanoTimer timer;
    private final Clock clock;
    private final WebSocketFleet.Counters counters;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final List<Probe> sent = new ArrayList<>();
    private final Map<String, Probe> byClientId = new HashMap<>();
    private final Map<String, Probe> byEventId = new HashMap<>();
    private final Map<String, long[]> earlyReplies = new HashMap<>();
    private volatile Session session;
    private volatile boolean closing;
    private int sequence;

    /** A message in flight; guarded by the connection. */
    private static final class Probe {
        final long sentNanos;
        final long sentWallMicros;
        String eventId;
        long ackNanos = -1;
        long replyNanos = -1;
        long replyWallMicros;
        String refusedWith;

        Probe(long sentNanos, long sentWallMicros) {
            this.sentNanos = sentNanos;
            this.sentWallMicros = sentWallMicros;
        }
    }

    FleetConnection(int index, String token, NanoTimer timer, Clock clock, WebSocketFleet.Counters counters) {
        this.index = index;
        this.timer = timer;
        this.clock = clock;
        this.counters = counters;
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "hello");
        frame.put("token", token);
        this.hello = write(frame);
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
    public void onWebSocketText(String text) {
        long nanos = timer.nanoTime();
        long wallMicros = micros(clock.instant());
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            counters.unreadableFrame();
            return;
        }
        switch (frame.path("type").asText("")) {
            case "ready" -> ready.complete(null);
            case "ack" -> acked(frame.path("clientId").asText(""), frame.path("eventId").asText(""), nanos);
            case "reply" -> replied(frame.path("inReplyTo").asText(""), nanos, wallMicros);
            case "error" -> refused(frame.path("clientId").asText(""), frame.path("code").asText("unknown"));
            default -> counters.unreadableFrame();
        }
    }

    private synchronized void acked(String clientId, String eventId, long nanos) {
        Probe probe = byClientId.remove(clientId);
        if (probe == null || eventId.isEmpty()) {
            counters.unmatchedFrame();
            return;
        }
        probe.eventId = eventId;
        probe.ackNanos = nanos;
        byEventId.put(eventId, probe);
        long[] early = earlyReplies.remove(eventId);
        if (early != null) {
            probe.replyNanos = early[0];
            probe.replyWallMicros = early[1];
        }
    }

    private synchronized void replied(String inReplyTo, long nanos, long wallMicros) {
        if (inReplyTo.isEmpty()) {
            counters.unmatchedFrame();
            return;
        }
        Probe probe = byEventId.get(inReplyTo);
        if (probe == null) {
            if (earlyReplies.putIfAbsent(inReplyTo, new long[] {nanos, wallMicros}) != null) {
                counters.duplicateReply();
            }
            return;
        }
        if (probe.replyNanos >= 0) {
            counters.duplicateReply();
            return;
        }
        probe.replyNanos = nanos;
        probe.replyWallMicros = wallMicros;
    }

    private synchronized void refused(String clientId, String code) {
        Probe probe = byClientId.remove(clientId);
        counters.refused(code);
        if (probe != null) {
            probe.refusedWith = code;
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

    /** Sends one chat message now; false when the connection is not open. */
    boolean send(String text) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return false;
        }
        String frame;
        synchronized (this) {
            String clientId = "m" + sequence++;
            Probe probe = new Probe(timer.nanoTime(), micros(clock.instant()));
            sent.add(probe);
            byClientId.put(clientId, probe);
            ObjectNode node = JSON.createObjectNode();
            node.put("type", "message");
            node.put("text", text);
            node.put("clientId", clientId);
            frame = write(node);
        }
        s.sendText(frame, Callback.from(() -> { }, failure -> counters.sendFailed()));
        return true;
    }

    /** What this connection saw of every message it sent, so far. */
    synchronized List<MessageTimes> times() {
        List<MessageTimes> times = new ArrayList<>(sent.size());
        for (Probe p : sent) {
            times.add(new MessageTimes(index, p.sentNanos, p.sentWallMicros, Optional.ofNullable(p.eventId),
                    p.ackNanos < 0 ? OptionalLong.empty() : OptionalLong.of(p.ackNanos),
                    p.replyNanos < 0 ? OptionalLong.empty() : OptionalLong.of(p.replyNanos), p.replyWallMicros,
                    Optional.ofNullable(p.refusedWith)));
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

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
