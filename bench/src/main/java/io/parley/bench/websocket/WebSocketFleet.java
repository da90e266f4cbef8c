package io.parley.bench.websocket;

import io.parley.bench.load.NanoTimer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many browsers in the bench JVM: Jetty WebSocket client connections to one gateway, each a user
 * of its own with its own signed token. Connections open at a bounded rate with a bounded number
 * of handshakes in flight; then every connection sends one message every {@code interval},
 * spread evenly over the interval (an open loop: a slow answer does not slow the sending).
 */
public final class WebSocketFleet implements AutoCloseable {

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
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("bench-ws-client");
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        // Each WebSocket takes a connection of its own; the handshakes in flight are bounded by connect().
        http.setMaxConnectionsPerDestination(100_000);
        http.setMaxRequestsQueuedPerDestination(100_000);
        this.client = new WebSocketClient(http);
        client.setIdleTimeout(Duration.ofMinutes(30));
        client.setStopTimeout(5_000);
        client.start();
    }

    /**
     * Opens {@code count} connections, at most {@code perSecond} a second and {@code inFlight}
     * handshakes at a time, each greeting with its token; returns once each is greeted or failed.
     */
    public ConnectOutcome connect(int count, double perSecond, int inFlight, Duration readyTimeout) throws InterruptedException {
        Semaphore handshakes = new Semaphore(inFlight);
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        List<FleetConnection> greeted = Collections.synchronizedList(new ArrayList<>());
        long start = timer.nanoTime();
        long gapNanos = (long) (1e9 / perSecond);
        for (int i = 0; i < count; i++) {
            timer.parkUntil(start + i * gapNanos);
            handshakes.acquire();
            FleetConnection connection = new FleetConnection(i, tokens.apply(i), timer, clock, counters);
            try {
                client.connect(connection, new ClientUpgradeRequest(uri));
            } catch (Exception e) {
                connection.ready().completeExceptionally(e);
            }
            connection.ready().orTimeout(readyTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
                if (failure == null) {
                    greeted.add(connection);
                } else {
                    failures.computeIfAbsent(reason(failure), r -> new AtomicInteger()).incrementAndGet();
                    connection.close();
                }
                handshakes.release();
            });
            if ((i + 1) % 1000 == 0) {
                LOG.info("WebSocket fleet: {} of {} connections attempted, {} greeted", i + 1, count, greeted.size());
            }
        }
        handshakes.acquire(inFlight);
        handshakes.release(inFlight);
        double seconds = (timer.nanoTime() - start) / 1e9;
        synchronized (greeted) {
            established.addAll(greeted);
        }
        Map<String, Integer> byReason = new TreeMap<>();
        failures.forEach((reason, n) -> byReason.put(reason, n.get()));
        return new ConnectOutcome(count, greeted.size(), byReason, seconds);
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "no ready frame in time";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getSimpleName() + (message.length() > 80 ? message.substring(0, 80) : message);
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

    /** What every connection saw of every message it sent. */
    public List<MessageTimes> times() {
        List<MessageTimes> all = new ArrayList<>();
        for (FleetConnection connection : established) {
            all.addAll(connection.times());
        }
        return all;
    }

    public Incidents incidents() {
        Map<String, Long> refused = new TreeMap<>();
        counters.refused.forEach((code, n) -> refused.put(code, n.get()));
        return new Incidents(counters.dropped.get(), counters.sendFailed.get(), counters.duplicateReplies.get(),
                counters.unmatched.get() + counters.unreadable.get(), refused);
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
