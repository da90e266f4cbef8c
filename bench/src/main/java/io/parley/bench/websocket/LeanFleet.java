package io.parley.bench.websocket;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.parley.bench.load.NanoTimer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of the ws-clients process: the same connections, greetings and open-loop sending as
 * {@link WebSocketFleet}, with {@link LeanConnection}s that keep what they see in one
 * {@link MessageLog} sized before the sending starts.
 */
final class LeanFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeanFleet.class);

    private final URI uri;
    private final IntFunction<String> tokens;
    private final NanoTimer timer;
    private final LongSupplier wallMicros;
    private final WebSocketClient client;
    private final WebSocketFleet.Counters counters = new WebSocketFleet.Counters();
    private final List<LeanConnection> established = new ArrayList<>();
    private volatile MessageLog log;

    /** @param tokens the signed token of connection {@code i}'s user */
    LeanFleet(URI uri, IntFunction<String> tokens, NanoTimer timer, Clock clock) throws Exception {
        this.uri = uri;
        this.tokens = tokens;
        this.timer = timer;
        this.wallMicros = () -> FleetConnection.micros(clock.instant());
        this.client = ConnectRamp.startClient("ws-clients");
    }

    WebSocketFleet.ConnectOutcome connect(int count, double perSecond, int inFlight, Duration readyTimeout)
            throws InterruptedException {
        return ConnectRamp.open(client, uri, timer, count, perSecond, inFlight, readyTimeout,
                i -> new LeanConnection(hello(tokens.apply(i)), timer::nanoTime, wallMicros, counters), established);
    }

    static String hello(String token) {
        return "{\"type\":\"hello\",\"token\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(token)) + "\"}";
    }

    /**
     * Every greeted connection sends {@code text} once every {@code interval}, connection {@code i}
     * at offset {@code i × interval / n}, for {@code length} from now; returns then.
     */
    ClientFleet.Sending send(Duration interval, String text, Duration length) {
        if (interval.isZero() || interval.isNegative() || length.isNegative()) {
            throw new IllegalArgumentException("The interval must be positive and the length not negative");
        }
        int n = established.size();
        long start = timer.nanoTime();
        if (n == 0) {
            return new ClientFleet.Sending(start, 0);
        }
        double gapNanos = (double) interval.toNanos() / n;
        long slots = (long) Math.floor(length.toNanos() / gapNanos) + 2;
        if (slots > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("The sending would make " + slots + " messages, more than one log holds");
        }
        MessageLog messages = new MessageLog(n, (int) slots);
        for (int c = 0; c < n; c++) {
            established.get(c).assign(messages, c);
        }
        log = messages;
        StringBuilder frame = new StringBuilder("{\"type\":\"message\",\"text\":\"")
                .append(JsonStringEncoder.getInstance().quoteAsString(text)).append("\",\"clientId\":\"");
        int prefix = frame.length();
        long until = start + length.toNanos();
        long sent = 0;
        for (int k = 0; k < messages.capacity(); k++) {
            long at = start + (long) (k * gapNanos);
            if (at >= until) {
                break;
            }
            timer.parkUntil(at);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            frame.setLength(prefix);
            frame.append(k).append("\"}");
            if (established.get(k % n).send(k, frame.toString())) {
                sent++;
            }
        }
        LOG.info("ws-clients: {} messages sent", sent);
        return new ClientFleet.Sending(start, sent);
    }

    long outstanding() {
        MessageLog messages = log;
        return messages == null ? 0 : messages.outstanding();
    }

    List<MessageTimes> times() {
        List<MessageTimes> all = new ArrayList<>();
        for (LeanConnection connection : established) {
            all.addAll(connection.times());
        }
        return all;
    }

    int open() {
        return (int) established.stream().filter(LeanConnection::isOpen).count();
    }

    WebSocketFleet.Incidents incidents() {
        return counters.incidents();
    }

    @Override
    public void close() {
        for (LeanConnection connection : established) {
            connection.close();
        }
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the WebSocket client failed: {}", e.toString());
        }
    }
}
