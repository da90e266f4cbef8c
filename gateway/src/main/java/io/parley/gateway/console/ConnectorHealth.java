package io.parley.gateway.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.gateway.console.PrometheusText.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connector health for the console, from the workers' own {@code /metrics} pages (the figures a
 * Grafana dashboard would show, without needing one): per connector and operation the call rate,
 * the share of calls that failed as an unhealthy backend fails (server error, timeout, circuit
 * open, rate limited, unauthorized), the 95th percentile of call time, and the circuit breaker's
 * state on the worst worker. Rates and percentiles are over the time between two scrapes, summed
 * over workers; a worker that restarted (counters went down) counts from zero.
 */
public final class ConnectorHealth implements AutoCloseable {

    static final String RESPONSES = "parley_worker_responses_total";
    static final String CALL_BUCKETS = "parley_worker_call_seconds_bucket";
    static final String CIRCUIT = "parley_worker_circuit_state";
    private static final Set<String> UNHEALTHY = Set.of("SERVER_ERROR", "TIMEOUT", "CIRCUIT_OPEN", "RATE_LIMITED", "UNAUTHORIZED");
    /** Resilience4j's state order: the worse state wins when workers disagree. */
    private static final List<Integer> WORST_FIRST = List.of(4, 1, 2, 0, 5, 3);
    private static final Map<Integer, String> STATE_NAMES = Map.of(0, "closed", 1, "open", 2, "half-open", 3, "disabled",
            4, "forced open", 5, "metrics only");
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorHealth.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> workers;
    private final HttpClient http;
    private final Clock clock;
    private final Map<URI, Scrape> previous = new HashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private volatile String latest;

    /** @param workers the workers' metrics pages, e.g. {@code http://worker-1:9101/metrics} */
    public ConnectorHealth(List<URI> workers, Clock clock) {
        this.workers = List.copyOf(workers);
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gateway-connector-health");
            thread.setDaemon(true);
            return thread;
        });
        this.latest = render(List.of(), 0, Map.of());
    }

    /** Scrapes now, then every {@code interval}. */
    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest figures as JSON: {@code {"at", "workers": {"reachable", "total"}, "connectors": [...]}}. */
    public String latest() {
        return latest;
    }

    /** Calls {@code listener} with each new JSON snapshot; returns how to stop. */
    public Runnable listen(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("connector health: {}", e.toString());
        }
    }

    /** Scrapes every worker once and publishes the figures. */
    synchronized void poll() {
        Map<OperationKey, Window> windows = new TreeMap<>();
        Map<String, Integer> circuits = new TreeMap<>();
        int reachable = 0;
        for (URI worker : workers) {
            String page = fetch(worker);
            if (page == null) {
                continue;
            }
            reachable++;
            Scrape now = Scrape.of(PrometheusText.parse(page), clock.instant());
            Scrape before = previous.put(worker, now);
            now.windowSince(before, windows);
            now.circuits.forEach((connector, state) -> circuits.merge(connector, state,
                    (a, b) -> WORST_FIRST.indexOf(a) <= WORST_FIRST.indexOf(b) ? a : b));
        }
        latest = render(new ArrayList<>(windows.entrySet()), reachable, circuits);
        listeners.forEach(listener -> listener.accept(latest));
    }

    private String fetch(URI worker) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(worker).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String render(List<Map.Entry<OperationKey, Window>> windows, int reachable, Map<String, Integer> circuits) {
        ObjectNode root = JSON.createObjectNode();
        root.put("at", clock.millis());
        root.putObject("workers").put("reachable", reachable).put("total", workers.size());
        ArrayNode rows = root.putArray("connectors");
        for (Map.Entry<OperationKey, Window> entry : windows) {
            Window window = entry.getValue();
            ObjectNode row = rows.addObject();
            row.put("connector", entry.getKey().connector());
            row.put("operation", entry.getKey().operation());
            row.put("calls", window.calls);
            if (window.seconds > 0) {
                row.put("callsPerSecond", round(window.calls / window.seconds));
            }
            if (window.calls > 0) {
                row.put("errorRate", round(window.unhealthy / window.calls));
            }
            window.percentile(0.95).ifPresent(seconds -> row.put("p95Millis", Math.round(seconds * 1000)));
            Integer state = circuits.get(entry.getKey().connector());
            row.put("circuit", state == null ? "unknown" : STATE_NAMES.getOrDefault(state, "unknown"));
        }
        return root.toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    record OperationKey(String connector, String operation) implements Comparable<OperationKey> {
        @Override
        public int compareTo(OperationKey other) {
            int byConnector = connector.compareTo(other.connector);
            return byConnector != 0 ? byConnector : operation.compareTo(other.operation);
        }
    }

    /** What one worker's page says, cumulatively since it started. */
    private static final class Scrape {
        private final Instant at;
        private final Map<OperationKey, Map<String, Double>> responsesByStatus = new HashMap<>();
        private final Map<OperationKey, Map<Double, Double>> buckets = new HashMap<>();
        private final Map<String, Integer> circuits = new HashMap<>();

        private Scrape(Instant at) {
            this.at = at;
        }

        static Scrape of(List<Sample> samples, Instant at) {
            Scrape scrape = new Scrape(at);
            for (Sample sample : samples) {
                OperationKey key = new OperationKey(sample.label("connector"), sample.label("operation"));
                switch (sample.name()) {
                    case RESPONSES -> scrape.responsesByStatus.computeIfAbsent(key, k -> new HashMap<>())
                            .merge(sample.label("status"), sample.value(), Double::sum);
                    case CALL_BUCKETS -> {
                        String le = sample.label("le");
                        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : parse(le);
                        if (!Double.isNaN(bound)) {
                            scrape.buckets.computeIfAbsent(key, k -> new TreeMap<>()).merge(bound, sample.value(), Double::sum);
                        }
                    }
                    case CIRCUIT -> scrape.circuits.put(sample.label("connector"), (int) sample.value());
                    default -> { }
                }
            }
            return scrape;
        }

        private static double parse(String number) {
            try {
                return Double.parseDouble(number);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        /** Adds what happened since {@code before} (or since the worker started) to {@code windows}. */
        void windowSince(Scrape before, Map<OperationKey, Window> windows) {
            boolean restarted = before == null || counted(before) > counted(this);
            double seconds = before == null ? 0 : Duration.between(before.at, at).toMillis() / 1000.0;
            responsesByStatus.forEach((key, byStatus) -> {
                Window window = windows.computeIfAbsent(key, k -> new Window());
                Map<String, Double> earlier = restarted ? Map.of() : before.responsesByStatus.getOrDefault(key, Map.of());
                byStatus.forEach((status, count) -> {
                    double delta = Math.max(0, count - earlier.getOrDefault(status, 0.0));
                    window.calls += delta;
                    if (UNHEALTHY.contains(status)) {
                        window.unhealthy += delta;
                    }
                });
                window.seconds = Math.max(window.seconds, restarted ? 0 : seconds);
            });
            buckets.forEach((key, counts) -> {
                Window window = windows.computeIfAbsent(key, k -> new Window());
                Map<Double, Double> earlier = restarted ? Map.of() : before.buckets.getOrDefault(key, Map.of());
                counts.forEach((bound, count) -> window.buckets.merge(bound, Math.max(0, count - earlier.getOrDefault(bound, 0.0)),
                        Double::sum));
            });
        }

        private static double counted(Scrape scrape) {
            return scrape.responsesByStatus.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).sum();
        }
    }

    /** Calls of one operation over the window, summed over workers. */
    private static final class Window {
        private double calls;
        private double unhealthy;
        private double seconds;
        private final TreeMap<Double, Double> buckets = new TreeMap<>();

        /** The quantile of call time in seconds, interpolated within its bucket as Prometheus does. */
        Optional<Double> percentile(double quantile) {
            Double total = buckets.get(Double.POSITIVE_INFINITY);
            if (total == null || total <= 0) {
                return Optional.empty();
            }
            double rank = quantile * total;
            double lowerBound = 0;
            double lowerCount = 0;
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                if (bucket.getValue() >= rank) {
                    if (bucket.getKey().isInfinite()) {
                        return Optional.of(lowerBound);
                    }
                    double inBucket = bucket.getValue() - lowerCount;
                    double share = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                    return Optional.of(lowerBound + (bucket.getKey() - lowerBound) * share);
                }
                lowerBound = bucket.getKey();
                lowerCount = bucket.getValue();
            }
            return Optional.of(lowerBound);
        }
    }
}
