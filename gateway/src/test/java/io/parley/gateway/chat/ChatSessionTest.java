package io.parley.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.gateway.MutableClock;
import io.parley.gateway.auth.DemoTokens;
import io.parley.gateway.auth.TokenVerifier;
import io.parley.gateway.ops.GatewayMetrics;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChatSessionTest {

    private static final byte[] SECRET = "a-demo-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final DemoTokens tokens = new DemoTokens(SECRET, "parley-web", null, clock);
    private final ConversationIds ids = new ConversationIds("conversation-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8));
    private final List<ChatEvent> produced = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters);
    private final ChatSession.Services services = new ChatSession.Services("web",
            TokenVerifier.hs256(SECRET, "parley-web", null, clock), ids,
            new ReplyRouter(50, 100, 1_000, Duration.ofMinutes(15), 10, clock),
            event -> {
                produced.add(event);
                return CompletableFuture.completedFuture(null);
            },
            new ChatLimits(30, 1, 2, 10, 50, 100, 1_000, Duration.ofMinutes(15)), clock, metrics);
    private final RecordingConnection browser = new RecordingConnection();
    private final ChatSession session = new ChatSession(browser, services);

    @Test
    void userIdComesFromTheTokenAndEventsAreKeyedByTheMintedConversation() {
        hello("alice", null);
        String conversation = browser.ofType("ready").get(0).path("conversationId").asText();
        session.onText("{\"type\":\"message\",\"text\":\"where is my order 1001\",\"userId\":\"bob\",\"clientId\":\"m1\"}");
        assertThat(produced).singleElement().satisfies(e -> {
            assertThat(e.getUserId()).isEqualTo("alice");
            assertThat(e.getConversationId()).isEqualTo(conversation);
            assertThat(e.getChannel()).isEqualTo("web");
            assertThat(e.getType()).isEqualTo(ChatEventType.MESSAGE);
        });
        assertThat(browser.ofType("ack")).singleElement().satisfies(a -> assertThat(a.path("clientId").asText()).isEqualTo("m1"));
    }

    @Test
    void aConversationIdOfAnotherUserIsReplacedByANewOne() {
        String bobs = ids.mint("bob");
        hello("alice", bobs);
        assertThat(browser.ofType("ready").get(0).path("conversationId").asText()).isNotEqualTo(bobs);
        assertThat(ids.belongsTo(bobs, "bob")).isTrue();
    }

    @Test
    void theOwnConversationIdIsKeptAcrossReconnects() {
        String mine = ids.mint("alice");
        hello("alice", mine);
        assertThat(browser.ofType("ready").get(0).path("conversationId").asText()).isEqualTo(mine);
    }

    @Test
    void anythingBeforeHelloClosesTheConnection() {
        session.onText("{\"type\":\"message\",\"text\":\"hi\"}");
        assertThat(browser.closeCode).isEqualTo(ChatSession.POLICY_VIOLATION);
        assertThat(produced).isEmpty();
    }

    @Test
    void refusedTokenClosesWithItsReason() {
        session.onText("{\"type\":\"hello\",\"token\":\"" + new DemoTokens(SECRET, "other", null, clock)
                .sign("alice", Duration.ofMinutes(5)) + "\"}");
        assertThat(browser.closeCode).isEqualTo(1008);
        assertThat(browser.closeReason).isEqualTo("token audience not accepted");
    }

    @Test
    void overlongMessageGetsAnErrorFrameAndIsNotProduced() {
        hello("alice", null);
        session.onText("{\"type\":\"message\",\"text\":\"" + "x".repeat(31) + "\",\"clientId\":\"m1\"}");
        assertThat(produced).isEmpty();
        assertThat(errorCodes()).containsExactly("message_too_large");
        assertThat(messages("message_too_large")).isEqualTo(1);
    }

    @Test
    void messagesAboveTheRateGetAnErrorFrameAndAreNotProduced() {
        hello("alice", null);
        for (int i = 0; i < 3; i++) {
            session.onText("{\"type\":\"message\",\"text\":\"hello " + i + "\"}");
        }
        assertThat(produced).hasSize(2);
        assertThat(errorCodes()).containsExactly("rate_limited");
        clock.advance(Duration.ofSeconds(1));
        session.onText("{\"type\":\"message\",\"text\":\"again\"}");
        assertThat(produced).hasSize(3);
        // Each message is counted by what became of it, for the operator's dashboard
        assertThat(messages("produced")).isEqualTo(3);
        assertThat(messages("rate_limited")).isEqualTo(1);
    }

    private double messages(String outcome) {
        var counter = meters.find("parley.gateway.messages").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void messagesAfterTheTokenExpiredCloseTheConnection() {
        hello("alice", null);
        clock.advance(Duration.ofHours(2));
        session.onText("{\"type\":\"message\",\"text\":\"still there?\"}");
        assertThat(produced).isEmpty();
        assertThat(browser.closeReason).isEqualTo("token expired");
    }

    @Test
    void badJsonGetsAnErrorFrame() {
        hello("alice", null);
        session.onText("<script>");
        assertThat(errorCodes()).containsExactly("bad_frame");
    }

    private void hello(String user, String conversationId) {
        session.onText("{\"type\":\"hello\",\"token\":\"" + tokens.sign(user, Duration.ofHours(1)) + "\""
                + (conversationId == null ? "" : ",\"conversationId\":\"" + conversationId + "\"") + "}");
        assertThat(browser.closeCode).isNull();
    }

    private List<String> errorCodes() {
        return browser.ofType("error").stream().map(f -> f.path("code")).map(JsonNode::asText).toList();
    }
}
