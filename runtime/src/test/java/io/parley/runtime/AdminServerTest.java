package io.parley.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.http.HttpReply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesMetricsHealthAndAddedRoutes() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("parley.turns", "intent", "order_status").increment(3);
        AtomicBoolean ready = new AtomicBoolean(false);
        try (AdminServer server = AdminServer.builder(registry)
                .readiness(ready::get)
                .route("/echo/", (call, caller) -> HttpReply.text(200, "text/plain",
                        call.path().substring("/echo/".length())))
                .start()) {

            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("parley_turns_total{intent=\"order_status\"} 3.0");

            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
            ready.set(true);
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);

            assertThat(get(server, "/echo/abc").body()).isEqualTo("abc");
        }
    }

    @Test
    void aFailingRouteAnswers500WithoutDetails() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (AdminServer server = AdminServer.builder(registry)
                .route("/boom", (call, caller) -> {
                    throw new IllegalStateException("secret-internal-detail");
                })
                .start()) {
            HttpResponse<String> answer = get(server, "/boom");
            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.body()).doesNotContain("secret-internal-detail");
        }
    }

    private HttpResponse<String> get(AdminServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
