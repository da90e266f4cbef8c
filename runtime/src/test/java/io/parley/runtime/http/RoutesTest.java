package io.parley.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routes on a real WebServer: path variables, query, body, 404/405/413/500 and the error shape. */
class RoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WebServer server;

    @BeforeAll
    static void start() {
        Routes routes = Routes.builder(JSON, RoutesTest::errorBody)
                .get("/orders/{orderId}", call -> HttpReply.ok(Map.of("order", call.pathVariable("orderId"),
                        "customer", call.queryParameter("customerId").orElse("-"))))
                .get("/subjects/{subject}/versions/{version}", call -> HttpReply.ok(call.pathVariables()))
                .post("/echo", call -> new HttpReply(201, Map.of("length", call.body().length,
                        "type", call.header("content-type").orElse("-"))))
                .get("/missing", call -> {
                    throw new HttpFailure(404, 40401, "Subject not found");
                })
                .get("/broken", call -> {
                    throw new IllegalStateException("secret detail");
                })
                .get("/metrics", call -> HttpReply.text(200, "text/plain; charset=utf-8", "up 1\n"))
                .build();
        server = WebServer.builder("routes-test").port(0).encodedSlashes(true).handler(routes).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Object errorBody(int status, int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        return body;
    }

    @Test
    void pathVariablesAndQueryReachTheRoute() throws Exception {
        // Given a route /orders/{orderId}
        // When it is called with an order and a query parameter
        HttpResponse<String> response = get("/orders/A-17?customerId=c%201");
        // Then the route sees both, decoded, and its answer is JSON
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.valueToTree(Map.of("order", "A-17", "customer", "c 1")));
    }

    @Test
    void anEncodedSlashStaysInsideItsSegment() throws Exception {
        // Given a template with two variables
        // When a subject holds an encoded slash and a '+'
        HttpResponse<String> response = get("/subjects/a%2Fb+c/versions/latest");
        // Then the slash and the plus belong to the subject
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("subject").asText()).isEqualTo("a/b+c");
        assertThat(body.get("version").asText()).isEqualTo("latest");
    }

    @Test
    void anUnknownPathIs404InTheErrorFormat() throws Exception {
        // When nothing matches
        HttpResponse<String> response = get("/nowhere");
        // Then 404 in the server's error shape
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.valueToTree(errorBody(404, 404, "HTTP 404 Not Found")));
    }

    @Test
    void anotherMethodOnAKnownPathIs405WithAllow() throws Exception {
        // When /echo (POST only) is read with GET
        HttpResponse<String> response = get("/echo");
        // Then 405, and Allow names POST
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(JSON.readTree(response.body()).get("error_code").asInt()).isEqualTo(405);
    }

    @Test
    void aFailureOfARouteKeepsItsStatusAndCode() throws Exception {
        HttpResponse<String> response = get("/missing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.valueToTree(errorBody(404, 40401, "Subject not found")));
    }

    @Test
    void anUnexpectedExceptionIs500WithoutItsMessage() throws Exception {
        HttpResponse<String> response = get("/broken");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("secret detail");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.valueToTree(errorBody(500, 50001, "Internal error")));
    }

    @Test
    void aBodyAndItsHeadersReachTheRoute() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/echo"))
                .header("Content-Type", "application/vnd.test+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.valueToTree(Map.of("length", 7, "type", "application/vnd.test+json")));
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[Routes.MAX_BODY_BYTES + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("error_code").asInt()).isEqualTo(413);
    }

    @Test
    void aTextReplyKeepsItsContentType() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("up 1\n");
    }

    @Test
    void aPortInUseIsOneErrorNamingTheServerAndAddress() {
        // Given a server on a port
        // When another is started on the same port
        // Then the start fails naming the server and the address
        assertThatThrownBy(() -> WebServer.builder("second server").port(server.port()).handler(
                Routes.builder(JSON, RoutesTest::errorBody).build()).start())
                .hasMessageContaining("The second server could not listen on 127.0.0.1:" + server.port());
    }

    @Test
    void aTemplateStartsWithASlash() {
        assertThatThrownBy(() -> Routes.builder(JSON, RoutesTest::errorBody).get("orders", call -> HttpReply.ok(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts with '/'");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
