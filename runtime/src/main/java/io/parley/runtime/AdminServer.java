package io.parley.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP endpoint every Parley service runs: {@code /metrics} (Prometheus text format),
 * {@code /health/live}, {@code /health/ready}, and any routes the service adds.
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

        /** Adds a route; the handler gets every request whose path starts with {@code pathPrefix}. */
        public Builder route(String pathPrefix, HttpHandler handler) {
            routes.put(pathPrefix, handler);
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
            server.createContext("/metrics", exchange -> handle(exchange, () ->
                    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
            server.createContext("/health/live", exchange -> handle(exchange, () ->
                    respond(exchange, 200, "application/json", "{\"status\":\"UP\"}")));
            BooleanSupplier readiness = ready;
            server.createContext("/health/ready", exchange -> handle(exchange, () -> {
                boolean up = readiness.getAsBoolean();
                respond(exchange, up ? 200 : 503, "application/json", up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
            }));
            routes.forEach((prefix, handler) -> server.createContext(prefix, exchange -> handle(exchange,
                    () -> handler.handle(exchange))));
            ExecutorService executor = Executors.newFixedThreadPool(2, DaemonThreads.named("parley-admin-http"));
            server.setExecutor(executor);
            server.start();
            return new AdminServer(server, executor);
        }

        private static void handle(HttpExchange exchange, Action action) throws IOException {
            try {
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
