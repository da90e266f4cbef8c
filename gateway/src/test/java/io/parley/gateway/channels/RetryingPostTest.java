package io.parley.gateway.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.parley.gateway.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryingPostTest {

    private WireMockServer receiver;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();
    private RetryingPost post;

    @BeforeEach
    void start() {
        receiver = new WireMockServer(options().dynamicPort());
        receiver.start();
        post = new RetryingPost(HttpClient.newHttpClient(), clock, waits::add, 4, Duration.ofSeconds(1),
                Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        receiver.stop();
    }

    private RetryingPost.Outcome send() throws InterruptedException {
        URI url = URI.create(receiver.baseUrl() + "/x");
        return send(url);
    }

    private RetryingPost.Outcome send(URI url) throws InterruptedException {
        return post.send("call", () -> HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), r -> post.byStatus("call", r));
    }

    @Test
    void retryAfterLongerThanTheBackoffIsWaitedAsAskedNotCut() throws Exception {
        // Given a receiver asking for 10 s, more than maxBackoff (3 s), as an HTTP date
        receiver.stubFor(post("/x").inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "Mon, 05 Jan 2026 10:00:10 GMT"))
                .willSetStateTo("ok"));
        receiver.stubFor(post("/x").inScenario("s").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)));
        // Then the wait is what was asked
        assertThat(send()).isEqualTo(new RetryingPost.Outcome(true, 2, "call HTTP 200"));
        assertThat(waits).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void retryAfterBeyondTwoMinutesEndsTheDeliveryAtOnce() throws Exception {
        receiver.stubFor(post("/x").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        RetryingPost.Outcome outcome = send();
        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.last()).isEqualTo("call HTTP 429 asks to retry after 3600 s, more than 120 s");
        assertThat(waits).isEmpty();
    }

    @Test
    void backoffDoublesUpToTheMaximumAndConnectionFailuresNameTheClassOnly() throws Exception {
        URI url = URI.create(receiver.baseUrl() + "/x");
        receiver.stop();
        RetryingPost.Outcome outcome = send(url);
        assertThat(outcome).isEqualTo(new RetryingPost.Outcome(false, 4, "call ConnectException"));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void aPermanentRefusalIsTriedOnce() throws Exception {
        receiver.stubFor(post("/x").willReturn(aResponse().withStatus(404)));
        assertThat(send()).isEqualTo(new RetryingPost.Outcome(false, 1, "call HTTP 404"));
        receiver.verify(1, postRequestedFor(urlEqualTo("/x")));
    }
}
