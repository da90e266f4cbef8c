package io.parley.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parley.gateway.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connector health computed from two workers' metrics pages, served over real HTTP. */
class ConnectorHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final AtomicReference<String> firstPage = new AtomicReference<>("");
    private final AtomicReference<String> secondPage = new AtomicReference<>("");
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void ratesErrorsPercentileAndTheWorstCircuitAreComputedOverTheWindowAndSummedOverWorkers() throws Exception {
        ConnectorHealth health = new ConnectorHealth(serve(), clock);
        firstPage.set(page(100, 0, 90, 100, 0));
        secondPage.set(page(50, 0, 50, 50, 0));
        health.poll();

        // When in the next 10 s worker 1 answers 100 more (10 timeouts; 80 under 50 ms, 10 under 100 ms, 10 slower)
        // and worker 2 answers 100 more, all fast, with its circuit half-open
        clock.advance(Duration.ofSeconds(10));
        firstPage.set(page(190, 10, 170, 190, 0));
        secondPage.set(page(150, 0, 150, 150, 2));
        health.poll();

        JsonNode figures = JSON.readTree(health.latest());
        assertThat(figures.path("workers").path("reachable").asInt()).isEqualTo(2);
        JsonNode getOrder = figures.path("connectors").get(0);
        assertThat(getOrder.path("connector").asText()).isEqualTo("shop-api");
        assertThat(getOrder.path("operation").asText()).isEqualTo("getOrder");
        assertThat(getOrder.path("calls").asDouble()).isEqualTo(200);
        assertThat(getOrder.path("callsPerSecond").asDouble()).isEqualTo(20.0);
        assertThat(getOrder.path("errorRate").asDouble()).isEqualTo(0.05);
        // 180 of 200 under 50 ms, 190 under 100 ms: the 190th call (95 %) is at the top of the 100 ms bucket
        assertThat(getOrder.path("p95Millis").asLong()).isEqualTo(100);
        assertThat(getOrder.path("circuit").asText()).isEqualTo("half-open");
    }

    @Test
    void aRestartedWorkerCountsFromZeroAndAnUnreachableOneIsNamed() throws Exception {
        ConnectorHealth health = new ConnectorHealth(serve(), clock);
        firstPage.set(page(1000, 0, 1000, 1000, 0));
        secondPage.set(page(10, 0, 10, 10, 0));
        health.poll();

        clock.advance(Duration.ofSeconds(10));
        firstPage.set(page(40, 0, 40, 40, 0));
        secondPage.set(null);
        health.poll();

        JsonNode figures = JSON.readTree(health.latest());
        assertThat(figures.path("workers").path("reachable").asInt()).isEqualTo(1);
        assertThat(figures.path("workers").path("total").asInt()).isEqualTo(2);
        assertThat(figures.path("connectors").get(0).path("calls").asDouble()).isEqualTo(40);
    }

    /** A worker's page: responses OK and TIMEOUT, call buckets (50 ms, 100 ms, +Inf), circuit state. */
    private static String page(int ok, int timeouts, int under50ms, int under100ms, int circuit) {
        int all = ok + timeouts;
        return """
                # TYPE parley_worker_responses_total counter
                parley_worker_responses_total{connector="shop-api",operation="getOrder",status="OK"} %d.0
                parley_worker_responses_total{connector="shop-api",operation="getOrder",status="TIMEOUT"} %d.0
                # TYPE parley_worker_call_seconds histogram
                parley_worker_call_seconds_bucket{connector="shop-api",operation="getOrder",status="OK",le="0.05"} %d
                parley_worker_call_seconds_bucket{connector="shop-api",operation="getOrder",status="OK",le="0.1"} %d
                parley_worker_call_seconds_bucket{connector="shop-api",operation="getOrder",status="OK",le="+Inf"} %d
                parley_worker_circuit_state{connector="shop-api"} %d.0
                """.formatted(ok, timeouts, under50ms, under100ms, all, circuit);
    }

    private List<URI> serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/w1/metrics", exchange -> respond(exchange, firstPage.get()));
        server.createContext("/w2/metrics", exchange -> respond(exchange, secondPage.get()));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return List.of(URI.create(base + "/w1/metrics"), URI.create(base + "/w2/metrics"));
    }

    private static void respond(HttpExchange exchange, String page) throws IOException {
        if (page == null) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
