package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.schemas.BackendResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary secret, used as token, client secret and database password, never shows in logs
 * (captured at every level), responses or error texts, whatever goes wrong.
 */
class SecretsNeverLeakIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @TempDir
    Path dir;

    private final String canary = "canary-" + UUID.randomUUID();

    @Test
    void aCanarySecretNeverShowsInLogsResponsesOrErrors() throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "token=" + canary + "\nclientSecret=" + canary + "\npassword=" + canary + "\n");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        shop.stubFor(get(urlPathEqualTo("/api/orders/401")).willReturn(aResponse().withStatus(401)));
        shop.stubFor(get(urlPathEqualTo("/api/orders/500")).willReturn(aResponse().withStatus(500)));
        shop.stubFor(get(urlPathEqualTo("/api/orders/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        shop.stubFor(get(urlPathEqualTo("/api/orders/slow")).willReturn(okJson("{}").withFixedDelay(1_000)));
        shop.stubFor(get(urlPathEqualTo("/api/orders/ok")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        shop.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\": \"invalid_client\"}")));
        List<BackendResponse> responses = new ArrayList<>();

        try (CapturedLogs logs = new CapturedLogs()) {
            try (Connectors connectors = Connectors.builder().yaml("connectors.yaml", """
                    connectors:
                      - name: bearer-api
                        type: http
                        baseUrl: %1$s/api
                        allowPrivateNetworks: true
                        timeout: 200ms
                        retry: {maxAttempts: 2, initialBackoff: 1ms}
                        auth: {type: bearer, token: "${file:%2$s:token}"}
                        operations:
                          getOrder: {path: "/orders/{orderId}"}
                      - name: oauth-api
                        type: http
                        baseUrl: %1$s/api
                        allowPrivateNetworks: true
                        auth: {type: oauth2, tokenUrl: "%1$s/oauth/token", clientId: parley, clientSecret: "${file:%2$s:clientSecret}"}
                        operations:
                          getOrder: {path: "/orders/{orderId}"}
                      - name: shop-db
                        type: jdbc
                        jdbcUrl: jdbc:postgresql://127.0.0.1:%3$d/shop
                        username: shop
                        password: "${file:%2$s:password}"
                        timeout: 500ms
                        retry: {maxAttempts: 1}
                        operations:
                          getCustomerProfile: {sql: "SELECT name FROM customers WHERE id = :customerId", result: row}
                    """.formatted(shop.baseUrl(), secrets, closedPort)).build()) {
                for (String orderId : List.of("401", "500", "reset", "slow", "ok")) {
                    responses.add(connectors.call(request("bearer-api", "getOrder", Map.of("orderId", orderId))));
                }
                responses.add(connectors.call(request("oauth-api", "getOrder", Map.of("orderId", "ok"))));
                responses.add(connectors.call(request("shop-db", "getCustomerProfile", Map.of("customerId", "alice"),
                        Instant.now().plusSeconds(5))));
            }
            // A secret written into the file itself is refused without being repeated.
            assertThatThrownBy(() -> Connectors.builder().yaml("connectors.yaml", """
                    connectors:
                      - name: bearer-api
                        type: http
                        baseUrl: https://api.example
                        auth: {type: bearer, token: "%s"}
                        operations:
                          getOrder: {path: "/orders/{orderId}"}
                    """.formatted(canary)).build())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("connectors[bearer-api].auth.token")
                    .hasMessageNotContaining(canary);

            assertThat(logs.lines()).isNotEmpty().noneSatisfy(line -> assertThat(line).contains(canary));
        }

        assertThat(responses).hasSize(7).allSatisfy(response -> {
            assertThat(String.valueOf(response.getError())).doesNotContain(canary);
            assertThat(String.valueOf(response.getResult())).doesNotContain(canary);
            assertThat(response.toString()).doesNotContain(canary);
        });
        // The secret was used where it belongs.
        assertThat(shop.findAll(getRequestedFor(urlPathMatching("/api/orders/.*"))))
                .allSatisfy(call -> assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + canary));
    }
}
