package io.parley.gateway.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.parley.gateway.MutableClock;
import io.parley.runtime.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallbackSenderTest {

    private static final String SECRET = "callback-secret-of-at-least-32-bytes!!";
    private WireMockServer receiver;
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
    private final List<Duration> waits = new ArrayList<>();
    private CallbackSender sender;

    @BeforeEach
    void start() {
        receiver = new WireMockServer(options().dynamicPort());
        receiver.start();
        ChannelSettings s = InboundTest.settings("crm", Secret.of(SECRET), null,
                URI.create(receiver.baseUrl() + "/replies"));
        s = new ChannelSettings(s.name(), s.replyTopic(), s.hmacSecret(), null, s.timestampWindow(), s.callbackUrl(),
                s.callbackSecret(), 4, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5),
                s.longPollWait(), s.keepReplies(), 100, s.dedupWindow(), 50);
        sender = new CallbackSender(s, HttpClient.newHttpClient(), clock, waits::add);
    }

    @AfterEach
    void stop() {
        receiver.stop();
    }

    @Test
    void callbackIsSignedWithTheChannelSecret() throws Exception {
        receiver.stubFor(post("/replies").willReturn(aResponse().withStatus(200)));
        byte[] body = "{\"replyId\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);
        RetryingPost.Outcome outcome = sender.deliver("r-1", body);
        assertThat(outcome).isEqualTo(new RetryingPost.Outcome(true, 1, "HTTP 200"));
        LoggedRequest request = receiver.findAll(postRequestedFor(urlEqualTo("/replies"))).get(0);
        assertThat(request.getHeader("X-Parley-Timestamp")).isEqualTo("1700000000");
        assertThat(Signatures.matches(Secret.of(SECRET), "1700000000", request.getBody(),
                request.getHeader("X-Parley-Signature"))).isTrue();
        assertThat(request.getHeader("X-Parley-Reply-Id")).isEqualTo("r-1");
    }

    @Test
    void retryAfterOf429IsHonouredAndBackoffDoublesOn5xx() throws Exception {
        // Given a receiver that rate-limits, then fails, then takes the reply
        receiver.stubFor(post("/replies").inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")).willSetStateTo("2"));
        receiver.stubFor(post("/replies").inScenario("s").whenScenarioStateIs("2")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("3"));
        receiver.stubFor(post("/replies").inScenario("s").whenScenarioStateIs("3")
                .willReturn(aResponse().withStatus(204)));
        // When delivering
        RetryingPost.Outcome outcome = sender.deliver("r-2", new byte[] {'{', '}'});
        // Then it waited what the receiver asked, then the doubled backoff
        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
    }

    @Test
    void permanentRefusalIsNotRetried() throws Exception {
        receiver.stubFor(post("/replies").willReturn(aResponse().withStatus(400)));
        assertThat(sender.deliver("r-3", new byte[] {'{', '}'})).isEqualTo(new RetryingPost.Outcome(false, 1, "HTTP 400"));
        assertThat(waits).isEmpty();
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastStatus() throws Exception {
        receiver.stubFor(post("/replies").willReturn(aResponse().withStatus(500)));
        assertThat(sender.deliver("r-4", new byte[] {'{', '}'})).isEqualTo(new RetryingPost.Outcome(false, 4, "HTTP 500"));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        receiver.verify(4, postRequestedFor(urlEqualTo("/replies")).withHeader("Content-Type", equalTo("application/json")));
    }
}
