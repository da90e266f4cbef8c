package io.parley.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.access.AccessControl;
import io.parley.runtime.access.AccessSettings;
import io.parley.runtime.access.Caller;
import io.parley.runtime.access.Role;
import io.parley.runtime.access.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP endpoint every Parley service runs: {@code /metrics} (Prometheus text format),
 * {@code /health/live}, {@code /health/ready}, and any routes the service adds.
 *
 * <p>With {@link Builder#access(AccessControl)} routes carry the {@link Role} they need: a request
 * without a valid bearer credential is answered 401, one whose role is not enough 403 (JSON
 * {@code {"error":...,"status":...}}). {@code /metrics} and {@code /health/*} need the viewer role
 * unless {@code access.openMetrics} / {@code access.openHealth} keep them open (the default, for
 * Prometheus and the kubelet). A viewer route stays open while no credential is configured at all
 * (as before roles existed); an operator route is then refused.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static Builder builder(PrometheusMeterRegistry registry) {
        return new Builder(registry);
    }

    /** The port the endpoint listens on (useful when it was started on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port}, for messages and clients. */
    public String baseUrl() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The exchange attribute holding the verified {@link Caller} of a protected route. */
    public static final String CALLER_ATTRIBUTE = "parley.caller";

    /** The verified caller of a protected route (empty on open routes). */
    public static Optional<Caller> caller(HttpExchange exchange) {
        return Optional.ofNullable((Caller) exchange.getAttribute(CALLER_ATTRIBUTE));
    }

    /** Writes a plain-text response and closes the exchange. */
    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Settings of an admin endpoint. */
    public static final class Builder {

        private final PrometheusMeterRegistry registry;
        private String host = "127.0.0.1";
        private int port;
        private BooleanSupplier ready = () -> true;
        private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
        private final Map<String, Role> roles = new LinkedHashMap<>();
        private AccessControl access = AccessControl.of(AccessSettings.NONE, java.time.Clock.systemUTC());

        private Builder(PrometheusMeterRegistry registry) {
            this.registry = registry;
        }

        /** The address to bind; 127.0.0.1 by default, 0.0.0.0 in containers. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port to bind; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** What {@code /health/ready} reports. */
        public Builder readiness(BooleanSupplier ready) {
            this.ready = ready;
            return this;
        }

        /** Who may call what (default: no credential configured, metrics and health open). */
        public Builder access(AccessControl access) {
            this.access = access;
            return this;
        }

        /** Adds an open route; the handler gets every request whose path starts with {@code pathPrefix}. */
        public Builder route(String pathPrefix, HttpHandler handler) {
            routes.put(pathPrefix, handler);
            return this;
        }

        /** Adds a route for callers with at least {@code required}; the handler finds them with {@link AdminServer#caller}. */
        public Builder route(String pathPrefix, Role required, HttpHandler handler) {
            routes.put(pathPrefix, handler);
            roles.put(pathPrefix, required);
            return this;
        }

        public AdminServer start() {
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(host, port), 0);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not open the admin endpoint on " + host + ":" + port
                        + " (" + e.getMessage() + "); set another port in the configuration", e);
            }
            AccessControl guard = access;
            Role metricsRole = guard.settings().openMetrics() ? null : Role.VIEWER;
            Role healthRole = guard.settings().openHealth() ? null : Role.VIEWER;
            server.createContext("/metrics", exchange -> handle(exchange, guard, metricsRole, () ->
                    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
            server.createContext("/health/live", exchange -> handle(exchange, guard, healthRole, () ->
                    respond(exchange, 200, "application/json", "{\"status\":\"UP\"}")));
            BooleanSupplier readiness = ready;
            server.createContext("/health/ready", exchange -> handle(exchange, guard, healthRole, () -> {
                boolean up = readiness.getAsBoolean();
                respond(exchange, up ? 200 : 503, "application/json", up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
            }));
            routes.forEach((prefix, handler) -> server.createContext(prefix, exchange -> handle(exchange, guard,
                    roles.get(prefix), () -> handler.handle(exchange))));
            ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("parley-admin-http"));
            server.setExecutor(executor);
            server.start();
            return new AdminServer(server, executor);
        }

        private static void handle(HttpExchange exchange, AccessControl guard, Role required, Action action)
                throws IOException {
            try {
                if (required != null && (guard.configured() || required == Role.OPERATOR)) {
                    Verdict verdict = guard.check(exchange.getRequestHeaders().getFirst("Authorization"), required);
                    if (verdict instanceof Verdict.Refused refused) {
                        if (refused.status() == 401) {
                            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"parley-admin\"");
                        }
                        respond(exchange, refused.status(), "application/json", refused.json());
                        return;
                    }
                    exchange.setAttribute(CALLER_ATTRIBUTE, ((Verdict.Allowed) verdict).caller());
                }
                action.run();
            } catch (RuntimeException e) {
                // The message may describe internals; the caller gets a generic answer.
                LOG.warn("Admin endpoint failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                respond(exchange, 500, "application/json", "{\"error\":\"internal error\"}");
            } finally {
                exchange.close();
            }
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }
}
