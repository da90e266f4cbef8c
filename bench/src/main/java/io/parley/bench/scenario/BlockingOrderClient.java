package io.parley.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The demo shop's order lookup, called the way a naive bot calls it: synchronously, the
 * calling thread waiting for the answer.
 */
final class BlockingOrderClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI baseUri;
    private final Duration timeout;

    BlockingOrderClient(HttpClient http, URI baseUri, Duration timeout) {
        this.http = http;
        this.baseUri = baseUri;
        this.timeout = timeout;
    }

    /** A client with its own JDK HttpClient on HTTP/1.1 (the backend does not speak HTTP/2). */
    static BlockingOrderClient create(URI baseUri, Duration timeout) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new BlockingOrderClient(http, baseUri, timeout);
    }

    /**
     * The status of an order of the customer, empty when the shop does not know it.
     *
     * @throws IOException when the shop cannot be reached, answers with an error or times out
     */
    Optional<String> orderStatus(String orderId, String customerId) throws IOException, InterruptedException {
        URI uri = baseUri.resolve("/orders/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8)
                + "?customerId=" + URLEncoder.encode(customerId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("The shop answered HTTP " + response.statusCode() + " for order " + orderId);
        }
        JsonNode order = JSON.readTree(response.body());
        return Optional.ofNullable(order.path("status").textValue());
    }
}
