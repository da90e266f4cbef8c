package io.parley.bench.scenario;

import io.parley.bench.pipeline.HeapSizes;
import io.parley.bench.report.Figures;
import io.parley.bench.websocket.ClientsProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The load of the gateway scenario (S7).
 *
 * @param connections WebSocket connections, one user each
 * @param interval each connection sends one message per interval; offered rate = connections / interval
 * @param duration the measured window, after one interval of warm-up sending
 * @param connectRate connections opened per second at most
 * @param handshakesInFlight handshakes (connect + hello + ready) in flight at most
 * @param drain after sending stopped, how long to wait for the next reply; the wait ends when none came for this long (at most 5 min in all)
 * @param gatewayHeap the gateway JVM's {@code -Xmx}
 * @param responder what answers the messages behind the gateway
 * @param clients where the WebSocket clients run and with which JVM
 */
public record GatewayLoad(int connections, Duration interval, Duration duration, int connectRate, int handshakesInFlight,
                          Duration drain, String gatewayHeap, Responder responder, Clients clients) {

    /**
     * Where S7's WebSocket clients run.
     *
     * @param placement a JVM of their own (the ws-clients process) or the bench JVM (the method before it)
     * @param java the ws-clients process's {@code java} launcher (default: the bench's own)
     * @param heap the ws-clients process's {@code -Xmx}
     * @param extraJvmOptions further options of the ws-clients process, after the defaults (a later option wins)
     */
    public record Clients(Placement placement, Path java, String heap, List<String> extraJvmOptions) {

        /** Where the clients run. */
        public enum Placement {
            /** The ws-clients process: a JVM of its own, with a low-pause collector. */
            PROCESS,
            /** The bench JVM, beside the broker: S7's method before the ws-clients process, kept for comparison. */
            IN_PROCESS
        }

        public Clients {
            Objects.requireNonNull(placement, "placement");
            Objects.requireNonNull(java, "java");
            HeapSizes.parse(Objects.requireNonNull(heap, "heap"));
            extraJvmOptions = List.copyOf(extraJvmOptions);
        }

        /** The ws-clients process on the bench's own {@code java}, {@code -Xmx1g}, ZGC. */
        public static Clients defaults() {
            return new Clients(Placement.PROCESS, Path.of(System.getProperty("java.home"), "bin", "java"), "1g", List.of());
        }

        /** The ws-clients process's JVM options: heap and collector, then the extra ones. */
        public List<String> jvmOptions() {
            List<String> options = new ArrayList<>(ClientsProcess.defaultJvmOptions(java, heap));
            options.addAll(extraJvmOptions);
            return options;
        }

        public Clients withPlacement(Placement p) {
            return new Clients(p, java, heap, extraJvmOptions);
        }

        public Clients withJava(Path j) {
            return new Clients(placement, j, heap, extraJvmOptions);
        }

        public Clients withHeap(String h) {
            return new Clients(placement, java, h, extraJvmOptions);
        }

        public Clients withExtraJvmOptions(List<String> options) {
            return new Clients(placement, java, heap, options);
        }
    }

    /** With the clients in the ws-clients process, as {@link Clients#defaults()}. */
    public GatewayLoad(int connections, Duration interval, Duration duration, int connectRate, int handshakesInFlight,
                       Duration drain, String gatewayHeap, Responder responder) {
        this(connections, interval, duration, connectRate, handshakesInFlight, drain, gatewayHeap, responder, Clients.defaults());
    }

    /** What answers the messages behind the gateway. */
    public enum Responder {
        /** Parley's processor and worker (the greeting turn, no backend call). */
        PARLEY,
        /** A plain consumer that answers each message at once: the gateway measured without a pipeline that queues. */
        ECHO
    }

    public GatewayLoad {
        if (connections < 1) {
            throw new IllegalArgumentException("The gateway scenario needs at least 1 connection, not " + connections);
        }
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(duration, "duration");
        if (interval.toMillis() < 100) {
            throw new IllegalArgumentException("The gateway scenario's message interval must be at least 100 ms, not " + interval);
        }
        if (duration.toMillis() < 1_000) {
            throw new IllegalArgumentException("The gateway scenario's measured window must last at least 1 s, not " + duration);
        }
        if (connectRate < 1 || handshakesInFlight < 1) {
            throw new IllegalArgumentException("The connect rate and the handshakes in flight must be at least 1");
        }
        Objects.requireNonNull(drain, "drain");
        HeapSizes.parse(Objects.requireNonNull(gatewayHeap, "gatewayHeap"));
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(clients, "clients");
    }

    /**
     * The published figures: 10,000 connections, a message every 10 s each, so 1,000 messages/s;
     * a 120 s window, so the gateway's reconnect buffer (100,000 replies by default) fills within it.
     */
    public static GatewayLoad full() {
        return new GatewayLoad(10_000, Duration.ofSeconds(10), Duration.ofSeconds(120), 500, 200, Duration.ofSeconds(30), "512m", Responder.PARLEY);
    }

    /** A smoke run. */
    public static GatewayLoad quick() {
        return new GatewayLoad(500, Duration.ofSeconds(5), Duration.ofSeconds(10), 500, 100, Duration.ofSeconds(30), "512m", Responder.PARLEY);
    }

    /** Messages a second offered in total. */
    public double offeredPerSecond() {
        return connections * 1000.0 / interval.toMillis();
    }

    public GatewayLoad withConnections(int n) {
        return new GatewayLoad(n, interval, duration, connectRate, handshakesInFlight, drain, gatewayHeap, responder, clients);
    }

    public GatewayLoad withInterval(Duration d) {
        return new GatewayLoad(connections, d, duration, connectRate, handshakesInFlight, drain, gatewayHeap, responder, clients);
    }

    public GatewayLoad withDuration(Duration d) {
        return new GatewayLoad(connections, interval, d, connectRate, handshakesInFlight, drain, gatewayHeap, responder, clients);
    }

    public GatewayLoad withGatewayHeap(String heap) {
        return new GatewayLoad(connections, interval, duration, connectRate, handshakesInFlight, drain, heap, responder, clients);
    }

    public GatewayLoad withResponder(Responder r) {
        return new GatewayLoad(connections, interval, duration, connectRate, handshakesInFlight, drain, gatewayHeap, r, clients);
    }

    public GatewayLoad withClients(Clients c) {
        return new GatewayLoad(connections, interval, duration, connectRate, handshakesInFlight, drain, gatewayHeap, responder, c);
    }

    /** For the report. */
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("connections", connections + " (one user and token each)");
        description.put("message.interval", Figures.duration(interval) + " per connection, spread evenly");
        description.put("offered", Figures.number(offeredPerSecond()) + " messages/s");
        description.put("warm-up", Figures.duration(interval) + " of sending before the measured window");
        description.put("measured.window", Figures.duration(duration));
        description.put("connect.rate", connectRate + "/s, at most " + handshakesInFlight + " handshakes in flight");
        description.put("drain", "until no reply came for " + Figures.duration(drain) + ", at most 5 min");
        description.put("gateway.maxHeap", gatewayHeap);
        description.put("responder", responder == Responder.ECHO
                ? "echo: one consumer answers each message at once, no processor (the gateway measured alone)"
                : "Parley's processor and worker");
        description.put("clients", clients.placement() == Clients.Placement.PROCESS
                ? "ws-clients process: a JVM of its own, -Xmx" + clients.heap() + ", ZGC"
                : "in-process: the bench JVM, beside the broker (the method before the ws-clients process)");
        return description;
    }
}
