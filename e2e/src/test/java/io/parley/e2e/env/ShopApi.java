package io.parley.e2e.env;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shop's HTTP API, a third-party service played by WireMock. How an order lookup goes is
 * decided by the order number's first digit, so a conversation's plan knows what it will get:
 *
 * <ul>
 *   <li>{@code 1xxx}: found, SHIPPED;</li>
 *   <li>{@code 4xxx}: 422, which the worker maps to CLIENT_ERROR;</li>
 *   <li>{@code 5xxx}: 500 on every attempt, SERVER_ERROR;</li>
 *   <li>{@code 7xxx}: found, SHIPPED, after {@link #SLOW_ORDER_LATENCY};</li>
 *   <li>{@code 9xxx}: the delivery estimate takes {@link #STUCK_CARRIER_LATENCY}, far past any deadline.</li>
 * </ul>
 *
 * Voucher claims ({@code POST /vouchers/{code}/claims}) go through {@link IdempotentClaims}.
 * Every worker names itself in an {@value #WORKER_HEADER} header, so the journal tells who called.
 *
 * <p>Two fault switches play an API having a bad time: {@link #startStorm()} answers every call
 * {@code 503 Service Unavailable} with {@code Retry-After: 1} (nothing is applied) until
 * {@link #endStorm()}; {@link #slowDown(Duration)} adds a delay to every answer until
 * {@link #speedUp()}.
 */
public final class ShopApi implements AutoCloseable {

    public static final String WORKER_HEADER = "X-Worker";
    public static final Duration SLOW_ORDER_LATENCY = Duration.ofMillis(300);
    public static final Duration STUCK_CARRIER_LATENCY = Duration.ofSeconds(5);

    private static final String CLAIMS = "/vouchers/[A-Za-z]+/claims";

    private final WireMockServer server;
    private final IdempotentClaims claims;
    private final Duration claimLatency;
    private StubMapping storm;

    private ShopApi(WireMockServer server, IdempotentClaims claims, Duration claimLatency) {
        this.server = server;
        this.claims = claims;
        this.claimLatency = claimLatency;
    }

    /**
     * Starts the API on 127.0.0.1.
     *
     * @param claimLatency how long a claim takes to answer (after it is applied), so claims are in flight under load
     */
    public static ShopApi start(Duration claimLatency) {
        IdempotentClaims claims = new IdempotentClaims();
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                // Delayed answers are scheduled instead of holding a request thread each.
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(16)
                .containerThreads(64)
                .extensions(claims));
        server.start();
        ShopApi api = new ShopApi(server, claims, claimLatency);
        api.stub();
        return api;
    }

    private void stub() {
        String shipped = "{\"status\": \"SHIPPED\"}";
        server.stubFor(get(urlPathMatching("/orders/1\\d+")).willReturn(okJson(shipped)));
        server.stubFor(get(urlPathMatching("/orders/4\\d+")).willReturn(aResponse().withStatus(422)));
        server.stubFor(get(urlPathMatching("/orders/5\\d+")).willReturn(serverError()));
        server.stubFor(get(urlPathMatching("/orders/7\\d+"))
                .willReturn(okJson(shipped).withFixedDelay((int) SLOW_ORDER_LATENCY.toMillis())));
        server.stubFor(get(urlPathMatching("/orders/9\\d+/eta"))
                .willReturn(okJson("{\"date\": \"2026-12-24\"}").withFixedDelay((int) STUCK_CARRIER_LATENCY.toMillis())));
        server.stubFor(post(urlPathMatching(CLAIMS))
                .willReturn(aResponse().withTransformers(IdempotentClaims.NAME).withFixedDelay((int) claimLatency.toMillis())));
    }

    /** From now on every call is answered 503 with {@code Retry-After: 1}, and nothing is applied. */
    public synchronized void startStorm() {
        if (storm == null) {
            // Not the carrier's delivery estimates: they never answer within their 1.5 s deadline anyway.
            storm = server.stubFor(any(urlPathMatching("(?!.*/eta$).*")).atPriority(1)
                    .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")
                            .withHeader("Content-Type", "application/json").withBody("{\"error\": \"storm\"}")));
        }
    }

    /** Calls are answered as before the storm again. */
    public synchronized void endStorm() {
        if (storm != null) {
            server.removeStub(storm);
            storm = null;
        }
    }

    /** Every answer comes {@code delay} later than it would (on top of the delays the stubs have). */
    public void slowDown(Duration delay) {
        server.setGlobalFixedDelay((int) delay.toMillis());
    }

    /** Answers come as fast as the stubs make them again. */
    public void speedUp() {
        server.setGlobalFixedDelay(0);
    }

    /** How many calls were answered 503 by a storm so far. */
    public long stormAnswers() {
        return server.getAllServeEvents().stream()
                .filter(event -> event.getResponse() != null && event.getResponse().getStatus() == 503)
                .count();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** The claims the API applied, by idempotency key. */
    public Map<String, IdempotentClaims.Claim> appliedClaims() {
        return claims.claimsByKey();
    }

    /** From WireMock's journal: for each idempotency key of a claim, the workers that delivered it, in order. */
    public Map<String, List<String>> claimDeliveries() {
        Map<String, List<String>> deliveries = new LinkedHashMap<>();
        for (LoggedRequest request : server.findAll(postRequestedFor(urlPathMatching(CLAIMS)))) {
            deliveries.computeIfAbsent(String.valueOf(request.getHeader(IdempotentClaims.KEY_HEADER)), key -> new ArrayList<>())
                    .add(String.valueOf(request.getHeader(WORKER_HEADER)));
        }
        return deliveries;
    }

    /**
     * Whether the worker has a claim in flight right now: one it sent so recently that its answer,
     * which takes the claim latency, cannot have been sent yet.
     */
    public boolean claimInFlightFrom(String worker) {
        Instant recent = Instant.now().minus(claimLatency.dividedBy(2));
        return server.findAll(postRequestedFor(urlPathMatching(CLAIMS)).withHeader(WORKER_HEADER, equalTo(worker))).stream()
                .anyMatch(request -> request.getLoggedDate().toInstant().isAfter(recent));
    }

    @Override
    public void close() {
        server.stop();
    }
}
