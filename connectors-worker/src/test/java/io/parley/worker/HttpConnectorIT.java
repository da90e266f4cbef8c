package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The http connector against a real HTTP server (WireMock standing in for the shop API). */
class HttpConnectorIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private Connectors connectors;

    @BeforeEach
    void startConnectors() {
        connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s/api
                    allowPrivateNetworks: true
                    timeout: 1s
                    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}
                    circuitBreaker: {enabled: false}
                    operations:
                      getOrder:
                        path: /orders/{orderId}
                        query: {customerId: "{customerId}"}
                        response:
                          fields: {status: /status, trackingId: /shipping/trackingId}
                          required: [/status]
                      placeOrder:
                        method: POST
                        path: /orders
                        body: {customerId: "{customerId}", sku: "{sku}", quantity: "{quantity:int}"}
                """.formatted(shop.baseUrl())).build();
    }

    @AfterEach
    void closeConnectors() {
        connectors.close();
    }

    @Test
    void getWithAPathParameterMapsTheAnswer() {
        // Given
        shop.stubFor(get(urlPathEqualTo("/api/orders/A%2010")).willReturn(okJson("""
                {"orderId": "A 10", "status": "SHIPPED", "total": "42.50", "shipping": {"trackingId": "TRK-1"}}""")));

        // When
        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "A 10", "customerId", "alice")));

        // Then
        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("{\"status\":\"SHIPPED\",\"trackingId\":\"TRK-1\"}");
        assertThat(response.getAttempts()).isEqualTo(1);
        assertThat(response.getLatencyMs()).isGreaterThanOrEqualTo(0);
        assertThat(response.getError()).isNull();
        shop.verify(getRequestedFor(urlEqualTo("/api/orders/A%2010?customerId=alice")));
    }

    @Test
    void postSendsTheBodyTemplateFilledWithTypedParameters() {
        shop.stubFor(post(urlPathEqualTo("/api/orders")).willReturn(okJson("{\"orderId\": \"1003\"}")));

        BackendResponse response = connectors.call(request("shop-api", "placeOrder",
                Map.of("customerId", "alice\", \"admin\": true", "sku", "MUG-01", "quantity", "2")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("{\"orderId\":\"1003\"}");
        // The quote in the value stays inside its string: no extra field appears.
        shop.verify(postRequestedFor(urlPathEqualTo("/api/orders"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalTo("{\"customerId\":\"alice\\\", \\\"admin\\\": true\",\"sku\":\"MUG-01\",\"quantity\":2}")));
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"404, NOT_FOUND", "400, CLIENT_ERROR", "422, CLIENT_ERROR", "401, UNAUTHORIZED", "403, UNAUTHORIZED"})
    void clientSideStatusesAreMappedAndNotRetried(int httpStatus, BackendStatus expected) {
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(aResponse().withStatus(httpStatus)));

        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice")));

        assertThat(response.getStatus()).isEqualTo(expected);
        assertThat(response.getAttempts()).isEqualTo(1);
        assertThat(response.getError()).contains(String.valueOf(httpStatus));
        assertThat(shop.findAll(getRequestedFor(urlPathMatching("/api/orders/.*")))).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedUpToTheLimitThenReported() {
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(aResponse().withStatus(503)));

        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
        assertThat(response.getAttempts()).isEqualTo(3);
        assertThat(shop.findAll(getRequestedFor(urlPathMatching("/api/orders/.*")))).hasSize(3);
    }

    @Test
    void aResetConnectionIsRetriedAndTheRetryCanSucceed() {
        // A POST: the JDK client itself re-sends idempotent requests once on a connection closed before
        // any answer, which would hide the worker's own retry.
        shop.stubFor(post(urlPathEqualTo("/api/orders")).inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("recovered"));
        shop.stubFor(post(urlPathEqualTo("/api/orders")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"orderId\": \"1003\"}")));
        BackendRequest request = request("shop-api", "placeOrder", Map.of("customerId", "alice", "sku", "MUG-01", "quantity", "1"));

        BackendResponse response = connectors.call(request);

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getAttempts()).isEqualTo(2);
        assertThat(shop.findAll(postRequestedFor(urlPathEqualTo("/api/orders"))))
                .hasSize(2)
                .allSatisfy(call -> assertThat(call.getHeader("Idempotency-Key")).isEqualTo(request.getRequestId()));
    }

    @Test
    void everyAttemptCarriesTheRequestIdAsIdempotencyKey() {
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(aResponse().withStatus(500)));
        BackendRequest request = request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice"));

        connectors.call(request);
        connectors.call(request); // a redelivery of the same request

        List<LoggedRequest> calls = shop.findAll(getRequestedFor(urlPathMatching("/api/orders/.*")));
        assertThat(calls).hasSize(6);
        assertThat(calls).allSatisfy(call -> assertThat(call.getHeader("Idempotency-Key")).isEqualTo(request.getRequestId()));
    }

    @Test
    void aSlowBackendTimesOutAfterTheConnectorTimeoutAndIsRetried() {
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(okJson("{\"status\": \"x\"}").withFixedDelay(3_000)));

        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice"),
                Instant.now().plusSeconds(30)));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
        assertThat(response.getAttempts()).isEqualTo(3);
        // Three attempts of 1 s each (the connector timeout), not of 3 s (the backend's delay).
        assertThat(response.getLatencyMs()).isBetween(3_000L, 2_900L + 3 * 1_000L);
    }

    @Test
    void aBodyThatTricklesPastTheConnectorTimeoutTimesOutToo() {
        // The headers come at once; the body takes 3 s, in pieces.
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(okJson("{\"status\": \"shipped, after a long wait\"}")
                .withChunkedDribbleDelay(10, 3_000)));

        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice"),
                Instant.now().plusSeconds(30)));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
        assertThat(response.getAttempts()).isEqualTo(3);
        assertThat(response.getLatencyMs()).isBetween(3_000L, 2_900L + 3 * 1_000L);
    }

    @Test
    void anAttemptStopsAtTheRequestDeadlineWhenThatComesFirst() {
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(okJson("{\"status\": \"x\"}").withFixedDelay(3_000)));

        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice"),
                Instant.now().plusMillis(300)));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
        assertThat(response.getAttempts()).isEqualTo(1);
        assertThat(response.getLatencyMs()).isLessThan(1_000L);
    }

    @Test
    void aRequestPastItsDeadlineIsAnsweredTimeoutWithoutACall() {
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(okJson("{\"status\": \"x\"}")));

        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice"),
                Instant.now().minus(Duration.ofSeconds(1))));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
        assertThat(response.getAttempts()).isZero();
        assertThat(shop.getAllServeEvents()).isEmpty();
    }

    @Test
    void unknownConnectorsAndOperationsAreRejectedWithoutACall() {
        BackendResponse unknownConnector = connectors.call(request("billing", "getInvoice", Map.of()));
        BackendResponse unknownOperation = connectors.call(request("shop-api", "deleteEverything", Map.of()));

        assertThat(unknownConnector.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(unknownConnector.getError()).contains("unknown connector 'billing'");
        assertThat(unknownOperation.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(unknownOperation.getError()).contains("unknown operation 'deleteEverything'");
        assertThat(shop.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMissingParameterIsRejectedWithoutACall() {
        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(response.getError()).isEqualTo("missing parameter 'customerId'");
        assertThat(shop.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMissingRequiredFieldIsRejectedNamingTheField() {
        shop.stubFor(get(urlPathMatching("/api/orders/.*")).willReturn(okJson("{\"orderId\": \"1\"}")));

        BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1", "customerId", "alice")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(response.getError()).contains("required field /status");
        assertThat(response.getResult()).isNull();
    }
}
