package io.parley.bench.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parley.runtime.DaemonThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend the scenarios call: an HTTP server on the loopback interface that answers the
 * demo shop's {@code GET /orders/{orderId}?customerId=...} with an order of that customer, at
 * once or after a fixed delay.
 *
 * <p>The delay does not hold a thread: the handler schedules the answer and returns, the way
 * a backend waiting on its own I/O holds a connection but no CPU. So a 200 ms backend serves
 * hundreds of concurrent calls with a handful of threads and the bench measures Parley, not
 * this server's thread pool.
 */
public final class OrderBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderBackend.class);
    private static final Pattern ORDER_PATH = Pattern.compile("/orders/([A-Za-z0-9_-]{1,64})");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pending connections the OS queues before accept; generous, as a load test opens many at once. */
    private static final int BACKLOG = 1024;
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService answers;
    private final Duration delay;
    private final AtomicLong ordersServed = new AtomicLong();

    private OrderBackend(HttpServer server, ExecutorService handlers, ScheduledExecutorService answers, Duration delay) {
        this.server = server;
        this.handlers = handlers;
        this.answers = answers;
        this.delay = delay;
    }

    /**
     * Starts a backend on a free loopback port.
     *
     * @param delay how long each answer takes; zero answers on the handler thread at once
     * @param threads threads that parse requests and write answers (two each for handling and for delayed answers)
     */
    public static OrderBackend start(Duration delay, int threads) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A backend delay cannot be negative: " + delay);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("A backend needs at least one thread, not " + threads);
        }
        // The JDK server writes headers and body in separate segments; with Nagle's algorithm on,
        // the body waits for the client's delayed ACK (about 40 ms), a delay no real backend adds.
        // Read once when the server implementation loads, so set before the first server.
        System.setProperty(NODELAY_PROPERTY, System.getProperty(NODELAY_PROPERTY, "true"));
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
            ExecutorService handlers = Executors.newFixedThreadPool(threads, DaemonThreads.named("bench-backend-http"));
            ScheduledExecutorService answers = Executors.newScheduledThreadPool(threads, DaemonThreads.named("bench-backend-answer"));
            OrderBackend backend = new OrderBackend(server, handlers, answers, delay);
            server.createContext("/", backend::handle);
            server.setExecutor(handlers);
            server.start();
            return backend;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the bench backend on the loopback interface", e);
        }
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    public Duration delay() {
        return delay;
    }

    /** Order requests answered with 200 so far. */
    public long ordersServed() {
        return ordersServed.get();
    }

    private void handle(HttpExchange exchange) {
        try {
            Optional<byte[]> order = orderFor(exchange);
            if (order.isEmpty()) {
                respond(exchange, 404, "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (delay.isZero()) {
                answer(exchange, order.get());
            } else {
                answers.schedule(() -> answer(exchange, order.get()), delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException e) {
            LOG.warn("The bench backend could not answer {}: {}", exchange.getRequestURI().getPath(), e.toString());
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, byte[] order) {
        ordersServed.incrementAndGet();
        respond(exchange, 200, order);
    }

    private static Optional<byte[]> orderFor(HttpExchange exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return Optional.empty();
        }
        Matcher path = ORDER_PATH.matcher(exchange.getRequestURI().getPath());
        Optional<String> customer = queryParameter(exchange.getRequestURI(), "customerId");
        if (!path.matches() || customer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(orderJson(path.group(1), customer.get()));
    }

    /** The demo shop's order result (see the demo contract), owned by whoever asks. */
    public static byte[] orderJson(String orderId, String customerId) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", orderId);
        order.put("customerId", customerId);
        order.put("status", "SHIPPED");
        order.put("total", "42.50");
        order.put("currency", "EUR");
        order.put("placedAt", "2026-11-20");
        order.put("trackingId", "TRK-" + orderId);
        order.put("items", List.of("Blue mug", "Tea sampler"));
        try {
            return JSON.writeValueAsBytes(order);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write an order as JSON", e);
        }
    }

    private static Optional<String> queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) {
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            out.write(body);
        } catch (IOException e) {
            // The caller gave up (timeout, closed connection); its side counts that, not ours.
            LOG.debug("Could not write a bench backend answer: {}", e.toString());
        }
    }


    @Override
    public void close() {
        server.stop(0);
        answers.shutdownNow();
        handlers.shutdownNow();
    }
}
