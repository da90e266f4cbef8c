package io.parley.bench.websocket;

import io.parley.bench.load.NanoTimer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many browsers in the bench JVM (the in-process placement of S7's clients, its original method):
 * Jetty WebSocket client connections to one gateway, each a user of its own with its own signed token. Connections open at a bounded rate with a bounded number
 * of handshakes in flight; then every connection sends one message every {@code interval},
 * spread evenly over the interval (an open loop: a slow answer does not slow the sending).
 */
public final class WebSocketFleet implements ClientFleet {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFleet.class);

    private final URI uri;
    private final IntFunction<String> tokens;
    private final NanoTimer timer;
    private final Clock clock;
    private final WebSocketClient client;
    private final Counters counters = new Counters();
    private final List<FleetConnection> established = new ArrayList<>();

    /** Events no single message owns, counted across the fleet. */
    static final class Counters {
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicLong sendFailed = new AtomicLong();
        private final AtomicLong duplicateReplies = new AtomicLong();
        private final AtomicLong unreadable = new AtomicLong();
        private final AtomicLong unmatched = new AtomicLong();
        private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

        void dropped(int statusCode) {
            dropped.incrementAndGet();
        }

        void sendFailed() {
            sendFailed.incrementAndGet();
        }

        void duplicateReply() {
            duplicateReplies.incrementAndGet();
        }

        void unreadableFrame() {
            unreadable.incrementAndGet();
        }

        void unmatchedFrame() {
            unmatched.incrementAndGet();
        }

        void refused(String code) {
            refused.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        }

        Incidents incidents() {
            Map<String, Long> byCode = new TreeMap<>();
            refused.forEach((code, n) -> byCode.put(code, n.get()));
            return new Incidents(dropped.get(), sendFailed.get(), duplicateReplies.get(), unmatched.get() + unreadable.get(), byCode);
        }
    }

    /**
     * How opening the connections went.
     *
     * @param attempted connections tried
     * @param established connections the gateway greeted with {@code ready}
     * @param failures failed attempts by reason
     * @param seconds from the first attempt to the last outcome
     */
    public record ConnectOutcome(int attempted, int established, Map<String, Integer> failures, double seconds) {
        public int failed() {
            return attempted - established;
        }
    }

    /**
     * What happened to the fleet apart from its messages.
     *
     * @param dropped connections the gateway closed while the bench still used them
     * @param sendFailed frames the client could not send
     * @param duplicateReplies replies received again for a message already answered
     * @param unmatchedFrames acks or replies for no message of their connection
     * @param refused error frames by code
     */
    public record Incidents(long dropped, long sendFailed, long duplicateReplies, long unmatchedFrames,
                            Map<String, Long> refused) {
    }

    /** @param tokens the signed token of connection {@code i}'s user */
    public WebSocketFleet(URI uri, IntFunction<String> tokens, NanoTimer timer, Clock clock) throws Exception {
        this.uri = uri;
        this.tokens = tokens;
        this.timer = timer;
        this.clock = clock;
        this.client = ConnectRamp.startClient("bench-ws-client");
    }

    /**
     * Opens {@code count} connections, at most {@code perSecond} a second and {@code inFlight}
     * handshakes at a time, each greeting with its token; returns once each is greeted or failed.
     */
    @Override
    public ConnectOutcome connect(int count, double perSecond, int inFlight, Duration readyTimeout) throws InterruptedException {
        return ConnectRamp.open(client, uri, timer, count, perSecond, inFlight, readyTimeout,
                i -> new FleetConnection(i, tokens.apply(i), timer, clock, counters), established);
    }

    /** Connections greeted so far. */
    public int established() {
        return established.size();
    }

    /** Established connections still open. */
    public int open() {
        return (int) established.stream().filter(FleetConnection::isOpen).count();
    }

    /**
     * Every established connection sends {@code text} once every {@code interval}, connection
     * {@code i} at offset {@code i × interval / n}, from now until {@code untilNanos}; returns then.
     *
     * @return messages sent
     */
    public long sendEvery(Duration interval, String text, long untilNanos) {
        int n = established.size();
        if (n == 0) {
            return 0;
        }
        double gapNanos = (double) interval.toNanos() / n;
        long start = timer.nanoTime();
        long sent = 0;
        for (long k = 0; ; k++) {
            long at = start + (long) (k * gapNanos);
            if (at >= untilNanos) {
                return sent;
            }
            timer.parkUntil(at);
            if (Thread.currentThread().isInterrupted()) {
                return sent;
            }
            if (established.get((int) (k % n)).send(text)) {
                sent++;
            }
        }
    }

    @Override
    public Sending send(Duration interval, String text, Duration length) {
        long start = timer.nanoTime();
        return new Sending(start, sendEvery(interval, text, start + length.toNanos()));
    }

    @Override
    public long outstanding() {
        return times().stream().filter(t -> !t.replied() && t.refusedWith().isEmpty()).count();
    }

    @Override
    public Collected collect(long windowFromNanos, long windowToNanos) {
        return new Collected(times(), incidents(), open(), Optional.empty(), Optional.empty());
    }

    @Override
    public Optional<Duration> cpuTime() {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("clients.placement", "in-process: the bench JVM, beside the broker (the method before the ws-clients process)");
        description.put("clients.client", "Jetty 12 WebSocket client, a JSON tree per frame (FleetConnection)");
        return description;
    }

    /** What every connection saw of every message it sent. */
    public List<MessageTimes> times() {
        List<MessageTimes> all = new ArrayList<>();
        for (FleetConnection connection : established) {
            all.addAll(connection.times());
        }
        return all;
    }

    public Incidents incidents() {
        return counters.incidents();
    }

    @Override
    public void close() {
        for (FleetConnection connection : established) {
            connection.close();
        }
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the WebSocket client failed: {}", e.toString());
        }
    }
}
