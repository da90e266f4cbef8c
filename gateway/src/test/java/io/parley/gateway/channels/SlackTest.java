package io.parley.gateway.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.parley.gateway.MutableClock;
import io.parley.runtime.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackTest {

    /** Slack's worked example (docs: "Verifying requests from Slack"), reproduced with openssl before use. */
    private static final String DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String DOC_TIMESTAMP = "1531420618";
    private static final String DOC_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
            + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private static final String DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    static final String SIGNING = "slack-signing-secret-for-tests";
    static final String BOT = "xoxb-test-bot-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
    private final List<Duration> waits = new ArrayList<>();
    private WireMockServer api;

    static SlackSettings settings(String signing, URI api) {
        return new SlackSettings("slack", "chat.replies.slack", Secret.of(signing), Secret.of(BOT), api,
                Map.of("U2CERLKJA", "alice"), 3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 2000);
    }

    @BeforeEach
    void start() {
        api = new WireMockServer(options().dynamicPort());
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    static String message(String eventId, String user, String text) {
        return """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"%s","event_time":1700000000,
                 "event":{"type":"message","channel":"D024BE91L","user":"%s","text":"%s","ts":"1700000000.000100"}}"""
                .formatted(eventId, user, text);
    }

    @Test
    void signatureMatchesSlacksPublishedExample() {
        assertThat(SlackInbound.sign(Secret.of(DOC_SECRET), DOC_TIMESTAMP, bytes(DOC_BODY))).isEqualTo(DOC_SIGNATURE);
        // and the verifier takes it at its time (the body is not JSON, so it stops there, past the signature)
        SlackInbound inbound = new SlackInbound(settings(DOC_SECRET, URI.create(api.baseUrl())),
                new MutableClock(Instant.ofEpochSecond(1531420618L + 60)));
        assertThat(inbound.receive(DOC_TIMESTAMP, DOC_SIGNATURE, bytes(DOC_BODY)))
                .isEqualTo(new Inbound.Refused(400, "the body is not JSON"));
    }

    @Test
    void userMessageBecomesAChatEventAndRetriesAreDropped() {
        SlackInbound inbound = new SlackInbound(settings(SIGNING, URI.create(api.baseUrl())), clock);
        String body = message("Ev01", "U2CERLKJA", "where is my order 1001");
        Inbound.Decision d = inbound.receive("1700000000", sign("1700000000", body), bytes(body));
        assertThat(d).isInstanceOfSatisfying(Inbound.Accepted.class, a -> {
            assertThat(a.event().getConversationId()).isEqualTo("slack:D024BE91L");
            assertThat(a.event().getUserId()).isEqualTo("alice");
            assertThat(a.event().getEventId()).isEqualTo("slack:Ev01");
        });
        // Slack's retry: same event id, signed afresh
        clock.advance(Duration.ofSeconds(3));
        assertThat(inbound.receive("1700000003", sign("1700000003", body), bytes(body)))
                .isEqualTo(new Inbound.Duplicate("Ev01"));
    }

    @Test
    void staleForgedAndUnsignedRequestsAreRefused() {
        SlackInbound inbound = new SlackInbound(settings(SIGNING, URI.create(api.baseUrl())), clock);
        String body = message("Ev02", "U1", "hi");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(inbound.receive("1700000000", sign("1700000000", body), bytes(body)))
                .isInstanceOfSatisfying(Inbound.Refused.class, r -> assertThat(r.reason()).contains("stale"));
        String now = Long.toString(clock.instant().getEpochSecond());
        assertThat(inbound.receive(now, SlackInbound.sign(Secret.of("another-signing-secret"), now, bytes(body)),
                bytes(body))).isInstanceOf(Inbound.Refused.class);
        assertThat(inbound.receive(null, null, bytes(body))).isInstanceOf(Inbound.Refused.class);
    }

    @Test
    void urlVerificationIsAnsweredWithTheChallengeAndBotMessagesIgnored() {
        SlackInbound inbound = new SlackInbound(settings(SIGNING, URI.create(api.baseUrl())), clock);
        String challenge = "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                + "\"type\":\"url_verification\"}";
        assertThat(inbound.receive("1700000000", sign("1700000000", challenge), bytes(challenge)))
                .isEqualTo(new Inbound.Challenge("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));
        String fromBot = "{\"type\":\"event_callback\",\"event_id\":\"Ev03\",\"event\":{\"type\":\"message\","
                + "\"channel\":\"C1\",\"bot_id\":\"B1\",\"text\":\"our own reply\"}}";
        assertThat(inbound.receive("1700000000", sign("1700000000", fromBot), bytes(fromBot)))
                .isInstanceOf(Inbound.Ignored.class);
    }

    @Test
    void replyIsPostedWithTheBotTokenHonouringRetryAfter() throws Exception {
        api.stubFor(post("/chat.postMessage").inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")).willSetStateTo("ok"));
        api.stubFor(post("/chat.postMessage").inScenario("s").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"ok\":true,\"channel\":\"D024BE91L\",\"ts\":\"1.2\"}")));
        SlackSender sender = new SlackSender(settings(SIGNING, URI.create(api.baseUrl())), HttpClient.newHttpClient(),
                waits::add);
        RetryingPost.Outcome outcome = sender.deliver(TelegramTest.reply("slack:D024BE91L", "Order 1001 ships today",
                List.of()));
        assertThat(outcome.delivered()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
        api.verify(2, postRequestedFor(urlEqualTo("/chat.postMessage")).withHeader("Authorization", equalTo("Bearer " + BOT)));
        var call = JSON.readTree(api.findAll(postRequestedFor(urlEqualTo("/chat.postMessage"))).get(1).getBody());
        assertThat(call.path("channel").asText()).isEqualTo("D024BE91L");
        assertThat(call.path("text").asText()).isEqualTo("Order 1001 ships today");
    }

    @Test
    void textLongerThanSlacksLimitIsPostedInPartsOfAtMost4000Characters() throws Exception {
        // Given a reply of 4,100 characters
        api.stubFor(post("/chat.postMessage").willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"channel\":\"D024BE91L\",\"ts\":\"1.2\"}")));
        String text = "word ".repeat(820);
        SlackSender sender = new SlackSender(settings(SIGNING, URI.create(api.baseUrl())), HttpClient.newHttpClient(),
                waits::add);
        // When it is sent
        assertThat(sender.deliver(TelegramTest.reply("slack:D024BE91L", text, List.of())).delivered()).isTrue();
        // Then it went in two posts within the limit, together the whole text
        List<String> parts = new java.util.ArrayList<>();
        for (var call : api.findAll(postRequestedFor(urlEqualTo("/chat.postMessage")))) {
            parts.add(JSON.readTree(call.getBody()).path("text").asText());
        }
        assertThat(parts).hasSize(2).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(SlackSettings.MAX_TEXT));
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void notOkAnswerIsPermanentAndNamedWithoutTheToken() throws Exception {
        api.stubFor(post("/chat.postMessage").willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":false,\"error\":\"channel_not_found\"}")));
        SlackSender sender = new SlackSender(settings(SIGNING, URI.create(api.baseUrl())), HttpClient.newHttpClient(),
                waits::add);
        RetryingPost.Outcome outcome = sender.deliver(TelegramTest.reply("slack:C404", "hello", List.of()));
        assertThat(outcome).isEqualTo(new RetryingPost.Outcome(false, 1, "chat.postMessage HTTP 200 channel_not_found"));
        assertThat(outcome.toString()).doesNotContain(BOT);
        assertThat(waits).isEmpty();
    }

    @Test
    void quickRepliesArePostedAsBlockKitButtons() throws Exception {
        api.stubFor(post("/chat.postMessage").willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
        SlackSender sender = new SlackSender(settings(SIGNING, URI.create(api.baseUrl())), HttpClient.newHttpClient(),
                waits::add);
        assertThat(sender.deliver(TelegramTest.reply("slack:D024BE91L", "Anything else?", List.of("Track it", "No thanks")))
                .delivered()).isTrue();
        var call = JSON.readTree(api.findAll(postRequestedFor(urlEqualTo("/chat.postMessage"))).get(0).getBody());
        // The text stays (notifications, screen readers); the blocks carry it and the buttons
        assertThat(call.path("text").asText()).isEqualTo("Anything else?");
        assertThat(call.path("blocks").get(0).path("text").path("text").asText()).isEqualTo("Anything else?");
        var buttons = call.path("blocks").get(1);
        assertThat(buttons.path("type").asText()).isEqualTo("actions");
        assertThat(buttons.path("elements")).hasSize(2);
        assertThat(buttons.path("elements").get(1).path("type").asText()).isEqualTo("button");
        assertThat(buttons.path("elements").get(1).path("text").path("text").asText()).isEqualTo("No thanks");
        assertThat(buttons.path("elements").get(1).path("value").asText()).isEqualTo("No thanks");
        assertThat(buttons.path("elements").get(1).path("action_id").asText()).isEqualTo("parley_quick_reply_1");
    }

    static String actionBody(String trigger, String value) {
        String payload = """
                {"type":"block_actions","user":{"id":"U2CERLKJA","username":"alice"},"api_app_id":"A1","token":"x",
                 "container":{"type":"message","message_ts":"1.2","channel_id":"D024BE91L"},"trigger_id":"%s",
                 "team":{"id":"T1"},"channel":{"id":"D024BE91L","name":"directmessage"},
                 "actions":[{"action_id":"parley_quick_reply_0","block_id":"parley_quick_replies",
                 "text":{"type":"plain_text","text":"Track it"},"value":"%s","type":"button",
                 "action_ts":"1700000000.123456"}]}""".formatted(trigger, value);
        return "payload=" + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8);
    }

    @Test
    void pressedButtonBecomesAChatEventOnceAndMustBeSigned() {
        SlackInbound inbound = new SlackInbound(settings(SIGNING, URI.create(api.baseUrl())), clock);
        String ts = Long.toString(clock.instant().getEpochSecond());
        String body = actionBody("398738663015.47445629121.803a", "Track it");
        // When a signed button press arrives
        Inbound.Decision decision = inbound.receiveAction(ts, sign(ts, body), bytes(body));
        // Then it is the mapped user's message with the button's value, in the channel's conversation
        assertThat(decision).isInstanceOf(Inbound.Accepted.class);
        var event = ((Inbound.Accepted) decision).event();
        assertThat(event.getEventId()).isEqualTo("slack:action:398738663015.47445629121.803a");
        assertThat(event.getConversationId()).isEqualTo("slack:D024BE91L");
        assertThat(event.getUserId()).isEqualTo("alice");
        assertThat(event.getText()).isEqualTo("Track it");
        // and again is a duplicate; unsigned, forged or stale is refused
        assertThat(inbound.receiveAction(ts, sign(ts, body), bytes(body))).isInstanceOf(Inbound.Duplicate.class);
        assertThat(inbound.receiveAction(ts, null, bytes(body))).isInstanceOf(Inbound.Refused.class);
        assertThat(inbound.receiveAction(ts, SlackInbound.sign(Secret.of("another-signing-secret"), ts, bytes(body)),
                bytes(body))).isInstanceOf(Inbound.Refused.class);
        String old = Long.toString(clock.instant().getEpochSecond() - 600);
        String other = actionBody("trigger-2", "Track it");
        assertThat(inbound.receiveAction(old, sign(old, other), bytes(other))).isInstanceOf(Inbound.Refused.class);
    }

    private static String sign(String ts, String body) {
        return SlackInbound.sign(Secret.of(SIGNING), ts, bytes(body));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
