package io.parley.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.runtime.DaemonThreads;
import io.parley.runtime.Durations;
import io.parley.runtime.http.HttpFailure;
import io.parley.runtime.http.HttpReply;
import io.parley.runtime.http.Routes;
import io.parley.runtime.http.WebServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.common.config.ConfigException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo shop HTTP API that the worker's {@code http} connector ({@code shop-api}) calls:
 * <ul>
 *   <li>{@code GET /orders/{orderId}?customerId=...} — the order, or 404 when it does not exist or
 *       belongs to someone else;</li>
 *   <li>{@code GET /inventory/{sku}} — the product's stock, or 404;</li>
 *   <li>{@code GET /stores/{storeId}/hours} — the store's opening hours, or 404;</li>
 *   <li>{@code GET /duty-manager?location=...} — the manager on duty at a location (a device's), or 404.</li>
 * </ul>
 * Errors are {@code {"error": "...", "status": n}}. Every answer can be held back by an artificial
 * latency — for the whole API ({@link #latency(Duration)}) or per request with the
 * {@value #LATENCY_HEADER} header — so that interim and late replies can be seen in a demo.
 * Held-back answers wait on a scheduler, not on a server thread.
 */
public final class ShopApi implements AutoCloseable {

    /** Request header that sets the latency of one request, e.g. {@code 3s} or {@code 750ms}. */
    public static final String LATENCY_HEADER = "X-Demo-Latency";
    /** The longest latency the API accepts, so a demo cannot hold connections forever. */
    public static final Duration MAX_LATENCY = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(ShopApi.class);

    private final WebServer server;
    private final ScheduledExecutorService delays;
    private final AtomicReference<Duration> latency;

    private ShopApi(WebServer server, ScheduledExecutorService delays, AtomicReference<Duration> latency) {
        this.server = server;
        this.delays = delays;
        this.latency = latency;
    }

    /** Settings of a demo shop API reading this database. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** {@code http://host:port}: the base URL of the {@code shop-api} connector. */
    public String baseUrl() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    /** The latency added to every answer that does not ask for its own. */
    public Duration latency() {
        return latency.get();
    }

    /** Changes the latency added to every answer from now on. */
    public void latency(Duration value) {
        latency.set(requireLatency(value));
    }

    @Override
    public void close() {
        server.close();
        delays.shutdownNow();
    }

    private static Duration requireLatency(Duration value) {
        Objects.requireNonNull(value, "latency");
        if (value.isNegative() || value.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("The demo shop latency must be between 0 and " + MAX_LATENCY + ": " + value);
        }
        return value;
    }

    /** The routes of the API, answering from the repository. */
    static Routes routes(ShopRepository shop, ObjectMapper json) {
        return Routes.builder(json, ShopApi::errorBody)
                .get("/orders/{orderId}", call -> {
                    String customerId = call.queryParameter("customerId")
                            .orElseThrow(() -> new HttpFailure(400, 400, "The query parameter customerId is required"));
                    return found(read(() -> shop.order(call.pathVariable("orderId"), customerId)), "Order not found");
                })
                .get("/inventory/{sku}", call -> found(read(() -> shop.stock(call.pathVariable("sku"))), "Product not found"))
                .get("/stores/{storeId}/hours",
                        call -> found(read(() -> shop.storeHours(call.pathVariable("storeId"))), "Store not found"))
                .get("/duty-manager", call -> {
                    String location = call.queryParameter("location")
                            .orElseThrow(() -> new HttpFailure(400, 400, "The query parameter location is required"));
                    return found(read(() -> shop.dutyManager(location)), "No manager on duty there");
                })
                .build();
    }

    private static Object errorBody(int status, int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        return body;
    }

    private static HttpReply found(Optional<?> value, String notFoundMessage) {
        return HttpReply.ok(value.orElseThrow(() -> new HttpFailure(404, 404, notFoundMessage)));
    }

    private static <T> T read(SqlRead<T> read) {
        try {
            return read.get();
        } catch (SQLException e) {
            // The message of a driver can hold connection details: log it, answer without it.
            LOG.warn("The demo shop database failed a read", e);
            throw new HttpFailure(503, 503, "The shop database is not available");
        }
    }

    @FunctionalInterface
    private interface SqlRead<T> {
        T get() throws SQLException;
    }

    /** Answers after the request's latency; the routes' answer is computed first, then held back. */
    private static final class DelayedHandler extends Handler.Abstract {

        private final Routes routes;
        private final ScheduledExecutorService delays;
        private final AtomicReference<Duration> latency;

        DelayedHandler(Routes routes, ScheduledExecutorService delays, AtomicReference<Duration> latency) {
            this.routes = routes;
            this.delays = delays;
            this.latency = latency;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Duration delay;
            try {
                delay = requestedLatency(request).orElseGet(latency::get);
            } catch (HttpFailure failure) {
                routes.write(response, callback, routes.error(failure));
                return true;
            }
            HttpReply reply = routes.dispatch(request);
            if (delay.isZero()) {
                routes.write(response, callback, reply);
                return true;
            }
            // The server thread is free while the answer waits; the callback completes the request later.
            delays.schedule(() -> routes.write(response, callback, reply), delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }

        private static Optional<Duration> requestedLatency(Request request) {
            String header = request.getHeaders().get(LATENCY_HEADER);
            if (header == null) {
                return Optional.empty();
            }
            try {
                Duration requested = Durations.parse(LATENCY_HEADER + " header", header);
                if (requested.compareTo(MAX_LATENCY) > 0) {
                    throw new HttpFailure(400, 400, LATENCY_HEADER + " header: at most " + MAX_LATENCY.toSeconds() + "s");
                }
                return Optional.of(requested);
            } catch (ConfigException e) {
                throw new HttpFailure(400, 400, e.getMessage());
            }
        }
    }

    /** Settings of a demo shop API. */
    public static final class Builder {

        private final DataSource dataSource;
        private String host = "127.0.0.1";
        private int port;
        private Duration latency = Duration.ZERO;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The address to listen on (default 127.0.0.1; a container needs 0.0.0.0). */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** The latency added to every answer (default none). */
        public Builder latency(Duration value) {
            this.latency = requireLatency(value);
            return this;
        }

        public ShopApi start() {
            Routes routes = routes(new ShopRepository(dataSource), new ObjectMapper());
            ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("shop-api-latency"));
            AtomicReference<Duration> currentLatency = new AtomicReference<>(latency);
            WebServer server;
            try {
                server = WebServer.builder("shop-api").host(host).port(port).threads(2, 8).encodedSlashes(true)
                        .handler(new DelayedHandler(routes, delays, currentLatency)).start();
            } catch (RuntimeException e) {
                delays.shutdownNow();
                throw e;
            }
            return new ShopApi(server, delays, currentLatency);
        }
    }
}
