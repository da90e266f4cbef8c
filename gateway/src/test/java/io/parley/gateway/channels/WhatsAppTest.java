package io.parley.gateway.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.parley.gateway.MutableClock;
import io.parley.runtime.Secret;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ReplyKind;
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

class WhatsAppTest {

    static final String APP_SECRET = "whatsapp-app-secret-for-tests";
    static final String VERIFY = "whatsapp-verify-token-123";
    static final String ACCESS = "EAAG-whatsapp-access-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
    private final List<Duration> waits = new ArrayList<>();
    private WireMockServer graph;

    static WhatsAppSettings settings(URI graph, String template) {
        return new WhatsAppSettings("wa", "chat.replies.wa", Secret.of(APP_SECRET), Secret.of(VERIFY), Secret.of(ACCESS),
                "106540352242922", graph, template, "en_US", Map.of("16505551234", "alice"), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofHours(1), 2000);
    }

    static String notification(String messageId, long timestamp, String message) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
                 "phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Alice"},"wa_id":"16505551234"}],
                 "messages":[{"from":"16505551234","id":"%s","timestamp":"%d",%s}]},"field":"messages"}]}]}"""
                .formatted(messageId, timestamp, message);
    }

    @BeforeEach
    void start() {
        graph = new WireMockServer(options().dynamicPort());
        graph.start();
    }

    @AfterEach
    void stop() {
        graph.stop();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signatureIsTheHexHmacSha256OfTheRawBody() {
        // GitHub's published X-Hub-Signature-256 example (the same scheme as Meta's), checked with openssl
        assertThat(WhatsAppInbound.sign(Secret.of("It's a Secret to Everybody"), bytes("Hello, World!")))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void handshakeEchoesTheChallengeOnlyForTheVerifyToken() {
        WhatsAppInbound inbound = new WhatsAppInbound(settings(URI.create(graph.baseUrl()), null), clock);
        assertThat(inbound.verify("subscribe", VERIFY, "1158201444")).isEqualTo("1158201444");
        assertThat(inbound.verify("subscribe", "wrong", "1158201444")).isNull();
        assertThat(inbound.verify("unsubscribe", VERIFY, "1158201444")).isNull();
        assertThat(inbound.verify("subscribe", null, "1158201444")).isNull();
    }

    @Test
    void signedTextMessageBecomesAChatEventOnceAndForgedOrUnsignedAreRefused() {
        // Given a notification with a text message, signed with the app secret
        WhatsAppInbound inbound = new WhatsAppInbound(settings(URI.create(graph.baseUrl()), null), clock);
        byte[] body = bytes(notification("wamid.HBgL1", 1_699_999_990L, "\"type\":\"text\",\"text\":{\"body\":\"where is my order\"}"));
        String signature = WhatsAppInbound.sign(Secret.of(APP_SECRET), body);
        // When it is received
        Inbound.Decision decision = inbound.receive(signature, body);
        // Then one event of the mapped user in the user's conversation
        assertThat(decision).isInstanceOf(Inbound.AcceptedAll.class);
        ChatEvent event = ((Inbound.AcceptedAll) decision).events().get(0);
        assertThat(event.getEventId()).isEqualTo("wa:wamid.HBgL1");
        assertThat(event.getConversationId()).isEqualTo("wa:16505551234");
        assertThat(event.getUserId()).isEqualTo("alice");
        assertThat(event.getType()).isEqualTo(ChatEventType.MESSAGE);
        assertThat(event.getText()).isEqualTo("where is my order");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.ofEpochSecond(1_699_999_990L));
        // and Meta's redelivery is a duplicate
        assertThat(inbound.receive(signature, body)).isInstanceOf(Inbound.Duplicate.class);
        // and forged, tampered and unsigned notifications are refused
        assertThat(inbound.receive(WhatsAppInbound.sign(Secret.of("another-app-secret-xx"), body), body))
                .isEqualTo(new Inbound.Refused(401, "signature does not match"));
        byte[] tampered = bytes(new String(body, StandardCharsets.UTF_8).replace("where", "WHERE"));
        assertThat(inbound.receive(signature, tampered)).isInstanceOf(Inbound.Refused.class);
        assertThat(inbound.receive(null, body)).isInstanceOf(Inbound.Refused.class);
        assertThat(inbound.receive("sha1=abc", body)).isInstanceOf(Inbound.Refused.class);
    }

    @Test
    void staleReplayedNotificationIsRefusedAndStatusesAreIgnored() {
        WhatsAppInbound inbound = new WhatsAppInbound(settings(URI.create(graph.baseUrl()), null), clock);
        // A validly signed notification 25 hours old (a replay: its id is long forgotten)
        byte[] old = bytes(notification("wamid.OLD", 1_700_000_000L - 25 * 3600, "\"type\":\"text\",\"text\":{\"body\":\"hi\"}"));
        Inbound.Decision decision = inbound.receive(WhatsAppInbound.sign(Secret.of(APP_SECRET), old), old);
        assertThat(decision).isInstanceOf(Inbound.Ignored.class);
        assertThat(((Inbound.Ignored) decision).why()).contains("stale");
        // A delivery status, not a message
        byte[] status = bytes("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":
                "whatsapp","metadata":{"phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.X",
                "status":"delivered","timestamp":"1700000000","recipient_id":"16505551234"}]},"field":"messages"}]}]}""");
        assertThat(inbound.receive(WhatsAppInbound.sign(Secret.of(APP_SECRET), status), status))
                .isInstanceOf(Inbound.Ignored.class);
    }

    @Test
    void pressedReplyButtonComesBackAsTheFullQuickReply() {
        WhatsAppInbound inbound = new WhatsAppInbound(settings(URI.create(graph.baseUrl()), null), clock);
        byte[] body = bytes(notification("wamid.BTN", 1_700_000_000L, "\"type\":\"interactive\",\"interactive\":{"
                + "\"type\":\"button_reply\",\"button_reply\":{\"id\":\"Track my parcel please\",\"title\":\"Track my parcel…\"}}"));
        Inbound.Decision decision = inbound.receive(WhatsAppInbound.sign(Secret.of(APP_SECRET), body), body);
        assertThat(((Inbound.AcceptedAll) decision).events().get(0).getText()).isEqualTo("Track my parcel please");
    }

    private WhatsAppSender sender(String template, InboundLedger ledger) {
        return new WhatsAppSender(settings(URI.create(graph.baseUrl()), template), ledger, HttpClient.newHttpClient(),
                clock, waits::add);
    }

    private void stubMessages() {
        graph.stubFor(post("/106540352242922/messages").willReturn(aResponse().withStatus(200).withBody(
                "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"16505551234\",\"wa_id\":\"16505551234\"}],"
                        + "\"messages\":[{\"id\":\"wamid.OUT\"}]}")));
    }

    private static ChatEvent inbound(String conversation, String eventId, Instant at) {
        return ChatEvent.newBuilder().setEventId(eventId).setConversationId(conversation).setUserId("alice")
                .setChannel("wa").setType(ChatEventType.MESSAGE).setText("hi").setPayload(Map.of()).setLocale(null)
                .setOccurredAt(at).build();
    }

    @Test
    void textLongerThanWhatsAppsLimitIsSentInPartsOfAtMost4096Characters() throws Exception {
        // Given a user who wrote an hour ago, and a reply of 4,200 characters
        stubMessages();
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofHours(24), clock);
        ledger.record(inbound("wa:16505551234", "wa:wamid.1", clock.instant().minus(Duration.ofHours(1))));
        String text = "word ".repeat(840);
        // When it is sent
        assertThat(sender(null, ledger).deliver(TelegramTest.reply("wa:16505551234", text, List.of())).delivered()).isTrue();
        // Then it went as two text messages within the limit, together the whole text
        List<String> parts = new java.util.ArrayList<>();
        for (var call : graph.findAll(postRequestedFor(urlEqualTo("/106540352242922/messages")))) {
            JsonNode message = JSON.readTree(call.getBody());
            assertThat(message.path("type").asText()).isEqualTo("text");
            parts.add(message.path("text").path("body").asText());
        }
        assertThat(parts).hasSize(2).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(WhatsAppSettings.MAX_TEXT));
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void replyInsideTheWindowIsTextWithButtonsOrAList() throws Exception {
        // Given a user who wrote an hour ago
        stubMessages();
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofHours(24), clock);
        ledger.record(inbound("wa:16505551234", "wa:wamid.1", clock.instant().minus(Duration.ofHours(1))));
        WhatsAppSender sender = sender(null, ledger);
        // When a reply with two quick replies, then one with five, are sent
        var reply = TelegramTest.reply("wa:16505551234", "Your order ships today", List.of("Track it", "Thanks"));
        assertThat(sender.deliver(reply).delivered()).isTrue();
        assertThat(sender.deliver(TelegramTest.reply("wa:16505551234", "Pick one", List.of("a", "b", "c", "d", "e")))
                .delivered()).isTrue();
        // Then the first is interactive reply buttons, the second a list, both with the bearer access token
        var calls = graph.findAll(postRequestedFor(urlEqualTo("/106540352242922/messages"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS)));
        assertThat(calls).hasSize(2);
        JsonNode buttons = JSON.readTree(calls.get(0).getBody());
        assertThat(buttons.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(buttons.path("to").asText()).isEqualTo("16505551234");
        assertThat(buttons.path("interactive").path("type").asText()).isEqualTo("button");
        assertThat(buttons.path("interactive").path("body").path("text").asText()).isEqualTo("Your order ships today");
        assertThat(buttons.path("interactive").path("action").path("buttons").get(1).path("reply").path("id").asText())
                .isEqualTo("Thanks");
        JsonNode list = JSON.readTree(calls.get(1).getBody());
        assertThat(list.path("interactive").path("type").asText()).isEqualTo("list");
        assertThat(list.path("interactive").path("action").path("sections").get(0).path("rows")).hasSize(5);
    }

    @Test
    void interimReplyShowsTheTypingIndicatorOnTheMessageItAnswers() throws Exception {
        // Given a user's message wamid.7, and the still-working reply to it
        stubMessages();
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofHours(24), clock);
        ledger.record(inbound("wa:16505551234", "wa:wamid.7", clock.instant().minus(Duration.ofSeconds(3))));
        var interim = TelegramTest.reply("wa:16505551234", "Still looking…", List.of());
        interim.setKind(ReplyKind.INTERIM);
        interim.setInReplyTo("wa:wamid.7");
        // When it is delivered
        assertThat(sender(null, ledger).deliver(interim).delivered()).isTrue();
        // Then that message is marked read with a typing indicator, and no text is sent
        var calls = graph.findAll(postRequestedFor(urlEqualTo("/106540352242922/messages")));
        assertThat(calls).hasSize(1);
        JsonNode sent = JSON.readTree(calls.get(0).getBody());
        assertThat(sent.path("status").asText()).isEqualTo("read");
        assertThat(sent.path("message_id").asText()).isEqualTo("wamid.7");
        assertThat(sent.path("typing_indicator").path("type").asText()).isEqualTo("text");
        assertThat(sent.has("text")).isFalse();
        // and an interim that answers no WhatsApp message (a notification's) shows nothing
        interim.setInReplyTo(null);
        assertThat(sender(null, ledger).deliver(interim).delivered()).isTrue();
        assertThat(graph.findAll(postRequestedFor(urlEqualTo("/106540352242922/messages")))).hasSize(1);
    }

    @Test
    void replyOutsideTheWindowIsTheTemplateOrNotDeliveredWithTheReason() throws Exception {
        // Given a user whose last message is 25 hours old
        stubMessages();
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofHours(48), clock);
        ledger.record(inbound("wa:16505551234", "wa:wamid.2", clock.instant().minus(Duration.ofHours(25))));
        var reply = TelegramTest.reply("wa:16505551234", "Your parcel arrives\ntomorrow", List.of());
        reply.setKind(ReplyKind.NOTIFICATION);
        // When a template is configured, the reply is sent as that template with its text as the variable
        assertThat(sender("order_update", ledger).deliver(reply).delivered()).isTrue();
        JsonNode sent = JSON.readTree(graph.findAll(postRequestedFor(urlEqualTo("/106540352242922/messages"))).get(0)
                .getBody());
        assertThat(sent.path("type").asText()).isEqualTo("template");
        assertThat(sent.path("template").path("name").asText()).isEqualTo("order_update");
        assertThat(sent.path("template").path("language").path("code").asText()).isEqualTo("en_US");
        assertThat(sent.path("template").path("components").get(0).path("parameters").get(0).path("text").asText())
                .isEqualTo("Your parcel arrives tomorrow");
        // and without one, it is not delivered, saying why, and nothing is sent
        RetryingPost.Outcome outcome = sender(null, ledger).deliver(reply);
        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.last()).contains("outside the 24-hour customer-service window");
        assertThat(graph.findAll(postRequestedFor(urlEqualTo("/106540352242922/messages")))).hasSize(1);
    }

    @Test
    void rateLimitAnsweredWith400IsRetriedAndOtherGraphErrorsArePermanent() throws Exception {
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofHours(24), clock);
        ledger.record(inbound("wa:16505551234", "wa:wamid.3", clock.instant()));
        graph.stubFor(post("/106540352242922/messages").willReturn(aResponse().withStatus(400).withBody(
                "{\"error\":{\"message\":\"(#131026) Message undeliverable\",\"type\":\"OAuthException\",\"code\":131026}}")));
        RetryingPost.Outcome outcome = sender(null, ledger).deliver(TelegramTest.reply("wa:16505551234", "hi", List.of()));
        assertThat(outcome).isEqualTo(new RetryingPost.Outcome(false, 1, "text HTTP 400 error code 131026"));
        graph.stubFor(post("/106540352242922/messages").willReturn(aResponse().withStatus(400).withBody(
                "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"code\":130429}}")));
        outcome = sender(null, ledger).deliver(TelegramTest.reply("wa:16505551234", "hi", List.of()));
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
}
