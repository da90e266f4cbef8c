package io.parley.bench.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrderBackendTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(OrderBackend backend, String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(backend.baseUri() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAnOrderOfTheAskingCustomerAsTheDemoShopDoes() throws Exception {
        try (OrderBackend backend = OrderBackend.start(Duration.ZERO, 2)) {
            HttpResponse<String> response = get(backend, "/orders/1001?customerId=alice");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode order = new ObjectMapper().readTree(response.body());
            assertThat(order.get("orderId").asText()).isEqualTo("1001");
            assertThat(order.get("customerId").asText()).isEqualTo("alice");
            assertThat(order.get("status").asText()).isEqualTo("SHIPPED");
            assertThat(order.get("trackingId").asText()).isEqualTo("TRK-1001");
            assertThat(backend.ordersServed()).isEqualTo(1);
        }
    }

    @Test
    void anythingButAnOrderLookupIsNotFound() throws Exception {
        try (OrderBackend backend = OrderBackend.start(Duration.ZERO, 1)) {
            assertThat(get(backend, "/orders/1001").statusCode()).isEqualTo(404);
            assertThat(get(backend, "/inventory/MUG-01").statusCode()).isEqualTo(404);
            assertThat(backend.ordersServed()).isZero();
        }
    }

    @Test
    void aSlowBackendAnswersNoSoonerThanItsDelay() throws Exception {
        Duration delay = Duration.ofMillis(100);
        try (OrderBackend backend = OrderBackend.start(delay, 1)) {
            long before = System.nanoTime();
            HttpResponse<String> response = get(backend, "/orders/7?customerId=bob");
            long took = System.nanoTime() - before;

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(delay);
        }
    }
}
