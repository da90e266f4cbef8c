package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries, Retry-After, circuit breaker and limits, observed from the backend's side. */
class ResilienceIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private static Connectors connectors(String baseUrl, String resilience) {
        return connectors(baseUrl, resilience, Connectors.builder());
    }

    private static Connectors connectors(String baseUrl, String resilience, Connectors.Builder builder) {
        return builder.yaml("connectors.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    timeout: 10s
                %s
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(baseUrl, resilience.indent(4))).build();
    }

    private static List<LoggedRequest> orderCalls() {
        return shop.findAll(getRequestedFor(urlPathMatching("/orders/.*")));
    }

    private static void stubTooManyRequestsThenOk(String retryAfter) {
        shop.stubFor(get(urlPathMatching("/orders/.*")).inScenario("busy").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", retryAfter)).willSetStateTo("calm"));
        shop.stubFor(get(urlPathMatching("/orders/.*")).inScenario("busy").whenScenarioStateIs("calm")
                .willReturn(okJson("{\"status\": \"SHIPPED\"}")));
    }

    @Test
    void aRetryAfterInSecondsIsHonouredBeforeRetrying() {
        stubTooManyRequestsThenOk("1");
        try (Connectors connectors = connectors(shop.baseUrl(), "retry: {maxAttempts: 3, initialBackoff: 1ms}")) {

            BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getAttempts()).isEqualTo(2);
            List<LoggedRequest> calls = orderCalls();
            long waited = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
            assertThat(waited).isGreaterThanOrEqualTo(1_000);
        }
    }

    @Test
    void aRetryAfterAsAnHttpDateIsHonouredBeforeRetrying() {
        Instant notBefore = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        stubTooManyRequestsThenOk(DateTimeFormatter.RFC_1123_DATE_TIME.format(notBefore.atZone(ZoneOffset.UTC)));
        try (Connectors connectors = connectors(shop.baseUrl(), "retry: {maxAttempts: 3, initialBackoff: 1ms}")) {

            BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(orderCalls().get(1).getLoggedDate().toInstant()).isAfterOrEqualTo(notBefore);
        }
    }

    @Test
    void aRetryAfterPastTheDeadlineIsAnsweredRateLimitedAtOnce() {
        stubTooManyRequestsThenOk("120");
        try (Connectors connectors = connectors(shop.baseUrl(), "retry: {maxAttempts: 3, initialBackoff: 1ms}")) {

            // Retry-After is 120 s, past the 60 s deadline: waiting for it, or for the deadline, would take a minute.
            BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1"),
                    Instant.now().plusSeconds(60)));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.RATE_LIMITED);
            assertThat(response.getAttempts()).isEqualTo(1);
            assertThat(response.getLatencyMs()).isLessThan(30_000);
            assertThat(orderCalls()).hasSize(1);
        }
    }

    @Test
    void anOpenBreakerAnswersWithoutCallingTheBackendAndRecoversThroughHalfOpen() {
        ManualTime time = new ManualTime(Instant.now());
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(aResponse().withStatus(500)));
        try (Connectors connectors = connectors(shop.baseUrl(), """
                retry: {maxAttempts: 1}
                circuitBreaker: {failureRateThreshold: 50, minimumCalls: 4, slidingWindow: 4, openFor: 30s, halfOpenCalls: 1}
                """, Connectors.builder().timing(time.timing(0.5)))) {
            Function<String, BackendResponse> call = id -> connectors.call(request("shop-api", "getOrder", Map.of("orderId", id),
                    time.instant().plusSeconds(10)));

            // Given four failures in a row
            for (int i = 0; i < 4; i++) {
                assertThat(call.apply("f" + i).getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
            }

            // When more calls come while it is open, then they are answered without reaching the backend
            BackendResponse open = call.apply("while-open");
            assertThat(open.getStatus()).isEqualTo(BackendStatus.CIRCUIT_OPEN);
            assertThat(open.getAttempts()).isZero();
            assertThat(orderCalls()).hasSize(4);

            // When the backend has recovered and the open time has passed, a trial call closes the breaker
            shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
            time.advance(Duration.ofSeconds(31));
            assertThat(call.apply("trial").getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(call.apply("after").getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(orderCalls()).hasSize(6);
        }
    }

    @Test
    void theRateLimitHoldsUnder200ConcurrentRequests() throws Exception {
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        // A long period: the whole test runs within its first cycle, so exactly `limit` calls may pass.
        try (Connectors connectors = connectors(shop.baseUrl(), "rateLimit: {limit: 20, period: 60s, maxWait: 0s}")) {

            Map<BackendStatus, Long> statuses = callConcurrently(connectors, 200);

            assertThat(statuses).containsEntry(BackendStatus.OK, 20L).containsEntry(BackendStatus.RATE_LIMITED, 180L);
            assertThat(orderCalls()).hasSize(20);
        }
    }

    @Test
    void theConcurrencyLimitHoldsUnder200ConcurrentRequests() throws Exception {
        // The backend holds its first five calls until all five are in: a limit that let fewer out at once
        // would show as fewer than five, one that let more out as more than five.
        try (CountingServer backend = CountingServer.holdingFirst(5, 20);
             Connectors connectors = connectors(backend.baseUrl(), "concurrencyLimit: {maxConcurrent: 5, maxWait: 30s}")) {

            Map<BackendStatus, Long> statuses = callConcurrently(connectors, 200);

            assertThat(statuses).containsOnlyKeys(BackendStatus.OK).containsEntry(BackendStatus.OK, 200L);
            await().untilAsserted(() -> assertThat(backend.served()).isEqualTo(200));
            assertThat(backend.maxInFlight()).isEqualTo(5);
        }
    }

    @Test
    void aCallWaitingForTheConcurrencyLimitGivesUpAtItsDeadlineNotAtMaxWait() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        // The slow call holds the only slot for 6 s: well past the waiting call's 500 ms even on a loaded machine,
        // and inside the connector's 10 s timeout.
        try (CountingServer backend = new CountingServer(6_000);
             Connectors connectors = connectors(backend.baseUrl(), "concurrencyLimit: {maxConcurrent: 1, maxWait: 30s}")) {
            CompletableFuture<BackendResponse> slow = connectors.callAsync(
                    request("shop-api", "getOrder", Map.of("orderId", "1"), Instant.now().plusSeconds(60)), callers);
            await().until(() -> backend.maxInFlight() == 1);

            BackendResponse waiting = connectors.callAsync(
                    request("shop-api", "getOrder", Map.of("orderId", "2"), Instant.now().plusMillis(500)), callers).get();

            assertThat(waiting.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
            assertThat(waiting.getError()).isEqualTo("the concurrency limit of connector shop-api leaves no time before the deadline");
            assertThat(waiting.getAttempts()).isZero();
            assertThat(slow).as("the call holding the only slot is still out").isNotDone();
            assertThat(slow.get().getStatus()).isEqualTo(BackendStatus.OK);
            // The server counts a request served only after its answer has left: the client may have it first.
            await().untilAsserted(() -> assertThat(backend.served()).isEqualTo(1));
        } finally {
            callers.shutdownNow();
        }
    }

    private static Map<BackendStatus, Long> callConcurrently(Connectors connectors, int count) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(count);
        try {
            List<CompletableFuture<BackendResponse>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(connectors.callAsync(request("shop-api", "getOrder", Map.of("orderId", String.valueOf(i)),
                        Instant.now().plusSeconds(60)), callers));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            return calls.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(BackendResponse::getStatus, Collectors.counting()));
        } finally {
            callers.shutdownNow();
        }
    }
}
