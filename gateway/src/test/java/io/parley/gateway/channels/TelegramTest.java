package io.parley.gateway.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.parley.gateway.MutableClock;
import io.parley.runtime.Secret;
import io.parley.schemas.ChatReply;
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

class TelegramTest {

    static final String TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456789";
    static final String SECRET = "telegram-webhook-secret_123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
    private WireMockServer api;
    private final List<Duration> waits = new ArrayList<>();

    static TelegramSettings settings(URI api) {
        return new TelegramSettings("telegram", "chat.replies.telegram", Secret.of(TOKEN), Secret.of(SECRET), api,
                Map.of("4242", "alice"), 3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 2000);
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

    private static String update(long updateId, long fromId, String text) {
        return """
                {"update_id": %d, "message": {"message_id": 7, "date": 1700000000,
                 "from": {"id": %d, "is_bot": false, "first_name": "A", "language_code": "de"},
                 "chat": {"id": 99, "type": "private"}, "text": "%s"}}""".formatted(updateId, fromId, text);
    }

    @Test
    void textMessageBecomesAChatEventWithTheMappedUser() {
        TelegramInbound inbound = new TelegramInbound(settings(URI.create(api.baseUrl())), clock);
        Inbound.Decision d = inbound.receive(SECRET, bytes(update(1, 4242, "where is my order 1001")));
        assertThat(d).isInstanceOfSatisfying(Inbound.Accepted.class, a -> {
            assertThat(a.event().getConversationId()).isEqualTo("telegram:99");
            assertThat(a.event().getUserId()).isEqualTo("alice");
            assertThat(a.event().getEventId()).isEqualTo("telegram:1");
            assertThat(a.event().getLocale()).isEqualTo("de");
            assertThat(a.event().getText()).isEqualTo("where is my order 1001");
        });
        // An unmapped Telegram user is a user of this channel only
        assertThat(inbound.receive(SECRET, bytes(update(2, 777, "hi")))).isInstanceOfSatisfying(Inbound.Accepted.class,
                a -> assertThat(a.event().getUserId()).isEqualTo("telegram:777"));
    }

    @Test
    void wrongOrMissingSecretTokenIsRefusedAndRedeliveryDropped() {
        TelegramInbound inbound = new TelegramInbound(settings(URI.create(api.baseUrl())), clock);
        assertThat(inbound.receive("wrong", bytes(update(1, 4242, "hi")))).isInstanceOf(Inbound.Refused.class);
        assertThat(inbound.receive(null, bytes(update(1, 4242, "hi")))).isInstanceOf(Inbound.Refused.class);
        assertThat(inbound.receive(SECRET, bytes(update(1, 4242, "hi")))).isInstanceOf(Inbound.Accepted.class);
        assertThat(inbound.receive(SECRET, bytes(update(1, 4242, "hi")))).isEqualTo(new Inbound.Duplicate("1"));
        // A photo: nothing to produce, answered so Telegram does not redeliver it
        assertThat(inbound.receive(SECRET, bytes("{\"update_id\":3,\"message\":{\"chat\":{\"id\":99},\"from\":{\"id\":1},"
                + "\"photo\":[]}}"))).isInstanceOf(Inbound.Ignored.class);
    }

    @Test
    void longTextIsSplitAtTelegramsLimitWithoutBreakingASurrogatePair() {
        String words = "word ".repeat(2000);
        List<String> parts = TelegramSender.split(words, 4096);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(4096));
        assertThat(String.join("", parts)).isEqualTo(words);
        assertThat(parts.get(0)).endsWith(" ");
        String emoji = "a" + "\uD83D\uDE00".repeat(3000);
        List<String> emojiParts = TelegramSender.split(emoji, 4096);
        assertThat(String.join("", emojiParts)).isEqualTo(emoji);
        assertThat(emojiParts).allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse());
    }

    @Test
    void replyIsSentInPartsWithQuickRepliesAsKeyboardHonouringRetryAfter() throws Exception {
        // Given a Bot API that rate-limits the first call
        String path = "/bot" + TOKEN + "/sendMessage";
        api.stubFor(post(path).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withBody(
                        "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 5\","
                                + "\"parameters\":{\"retry_after\":5}}")).willSetStateTo("ok"));
        api.stubFor(post(path).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"ok\":true,\"result\":{}}")));
        TelegramSender sender = new TelegramSender(settings(URI.create(api.baseUrl())), HttpClient.newHttpClient(),
                waits::add);
        // When a 5000-character reply with choices is sent
        RetryingPost.Outcome outcome = sender.deliver(reply("telegram:99", "x".repeat(5000), List.of("Yes", "No")));
        // Then it waited what Telegram asked, and sent two parts, the keyboard on the last
        assertThat(outcome.delivered()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(5));
        var calls = api.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(calls).hasSize(3);
        JsonNode firstPart = JSON.readTree(calls.get(1).getBody());
        JsonNode lastPart = JSON.readTree(calls.get(2).getBody());
        assertThat(firstPart.path("chat_id").asLong()).isEqualTo(99);
        assertThat(firstPart.path("text").asText()).hasSize(4096);
        assertThat(firstPart.has("reply_markup")).isFalse();
        assertThat(lastPart.path("text").asText()).hasSize(904);
        assertThat(lastPart.path("reply_markup").path("keyboard").get(1).get(0).path("text").asText()).isEqualTo("No");
    }

    @Test
    void blockedByTheUserIsPermanentAndNamedWithoutTheToken() throws Exception {
        api.stubFor(post("/bot" + TOKEN + "/sendMessage").willReturn(aResponse().withStatus(403).withBody(
                "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}")));
        TelegramSender sender = new TelegramSender(settings(URI.create(api.baseUrl())), HttpClient.newHttpClient(),
                waits::add);
        RetryingPost.Outcome outcome = sender.deliver(reply("telegram:99", "hello", List.of()));
        assertThat(outcome).isEqualTo(new RetryingPost.Outcome(false, 1, "sendMessage HTTP 403 error_code 403"));
        assertThat(outcome.toString()).doesNotContain(TOKEN);
        assertThat(waits).isEmpty();
    }

    @Test
    void interimReplyIsTheTypingAction() throws Exception {
        api.stubFor(post("/bot" + TOKEN + "/sendChatAction").willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"result\":true}")));
        TelegramSender sender = new TelegramSender(settings(URI.create(api.baseUrl())), HttpClient.newHttpClient(),
                waits::add);
        ChatReply interim = reply("telegram:99", "one moment", List.of(), ReplyKind.INTERIM);
        assertThat(sender.deliver(interim).delivered()).isTrue();
        JsonNode call = JSON.readTree(api.findAll(postRequestedFor(urlEqualTo("/bot" + TOKEN + "/sendChatAction")))
                .get(0).getBody());
        assertThat(call.path("action").asText()).isEqualTo("typing");
    }

    static ChatReply reply(String conversation, String text, List<String> quick) {
        return reply(conversation, text, quick, ReplyKind.ANSWER);
    }

    static ChatReply reply(String conversation, String text, List<String> quick, ReplyKind kind) {
        return ChatReply.newBuilder().setReplyId("r-" + text.hashCode()).setConversationId(conversation).setUserId("alice")
                .setChannel("telegram").setInReplyTo(null).setKind(kind).setText(text)
                .setQuickReplies(quick).setData(Map.of()).setCreatedAt(Instant.now()).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
