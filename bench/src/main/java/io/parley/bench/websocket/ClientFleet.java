package io.parley.bench.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The S7 load generator: many WebSocket clients of one gateway. Two placements: in the bench JVM
 * ({@link WebSocketFleet}, the original method) or in a JVM of their own ({@link ClientsProcess},
 * so that the clients' pauses and the broker's do not stall each other).
 *
 * <p>Every monotonic reading a fleet returns ({@link Sending#startNanos()}, the {@code *Nanos} of
 * {@link MessageTimes}, the window given to {@link #collect}) is on the fleet's own clock.
 */
public interface ClientFleet extends AutoCloseable {

    /**
     * Opens {@code count} connections, at most {@code perSecond} a second and {@code inFlight}
     * handshakes at a time, each greeting with its user's token; returns once each is greeted or failed.
     */
    WebSocketFleet.ConnectOutcome connect(int count, double perSecond, int inFlight, Duration readyTimeout) throws Exception;

    /**
     * Every greeted connection sends {@code text} once every {@code interval}, connection {@code i}
     * at offset {@code i × interval / n}, for {@code length}; returns when the sending ends.
     */
    Sending send(Duration interval, String text, Duration length) throws Exception;

    /** Messages sent so far that have neither a reply nor an error frame. */
    long outstanding() throws Exception;

    /**
     * What the clients saw, once the sending and the drain are over.
     *
     * @param windowFromNanos the measured window on the fleet's clock, for the clients' GC pauses
     */
    Collected collect(long windowFromNanos, long windowToNanos) throws Exception;

    /** CPU time the clients' own JVM has used so far; empty when the clients share the bench JVM. */
    Optional<Duration> cpuTime();

    /** Where the clients run and how, for the report. */
    Map<String, Object> describe();

    @Override
    void close();

    /**
     * @param startNanos when the sending began, on the fleet's clock
     * @param sent messages sent
     */
    record Sending(long startNanos, long sent) {
    }

    /**
     * @param times every message sent
     * @param incidents what happened apart from the messages
     * @param open greeted connections still open
     * @param clientGc the client JVM's GC pauses in the window; empty when the clients share the bench JVM
     * @param clientPid the client JVM's process id; empty when the clients share the bench JVM
     */
    record Collected(List<MessageTimes> times, WebSocketFleet.Incidents incidents, int open,
                     Optional<GcPauses.Summary> clientGc, Optional<Long> clientPid) {
    }
}
