package io.parley.gateway.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.gateway.auth.TokenRejectedException;
import io.parley.gateway.auth.TokenVerifier;
import io.parley.gateway.auth.VerifiedUser;
import io.parley.gateway.ops.GatewayMetrics;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * The web chat protocol of one connection, whatever its transport: a {@code hello} with a verified
 * token first, then messages. The user id comes from the token only; the conversation id is one
 * this gateway minted for that user (a foreign or forged one is replaced by a new one).
 */
public final class ChatSession {

    /** WebSocket close code for a policy violation (RFC 6455), used for refused tokens and limits. */
    public static final int POLICY_VIOLATION = 1008;

    private final ChatConnection connection;
    private final Services services;
    private final RateLimiter rateLimiter;
    private VerifiedUser user;
    private String conversationId;

    /** What every session of a gateway shares. */
    public record Services(String channel, TokenVerifier tokens, ConversationIds conversationIds, ReplyRouter router,
                           ChatEventPublisher publisher, ChatLimits limits, Clock clock, GatewayMetrics metrics) {
    }

    public ChatSession(ChatConnection connection, Services services) {
        this.connection = connection;
        this.services = services;
        this.rateLimiter = new RateLimiter(services.limits().messagesPerSecond(), services.limits().messageBurst(),
                services.clock());
    }

    /** A text frame from the browser. */
    public void onText(String text) {
        JsonNode frame = Frames.parse(text);
        if (frame == null) {
            connection.send(Frames.error("bad_frame", "frames are JSON objects", null));
            return;
        }
        String type = frame.path("type").asText("");
        if (user == null) {
            if (!type.equals("hello")) {
                connection.close(POLICY_VIOLATION, "hello with a token expected first");
                return;
            }
            hello(frame);
            return;
        }
        switch (type) {
            case "message" -> message(frame, ChatEventType.MESSAGE);
            case "postback" -> message(frame, ChatEventType.POSTBACK);
            case "hello" -> connection.send(Frames.error("bad_frame", "already greeted", null));
            default -> connection.send(Frames.error("bad_frame", "unknown frame type", null));
        }
    }

    /** The connection closed, for whatever reason. */
    public void onClose() {
        if (user != null) {
            services.router().detach(connection, conversationId, user.userId());
        }
    }

    /** The token's user, once greeted. */
    public VerifiedUser user() {
        return user;
    }

    private void hello(JsonNode frame) {
        VerifiedUser verified;
        try {
            verified = services.tokens().verify(frame.path("token").asText(null));
        } catch (TokenRejectedException e) {
            connection.close(POLICY_VIOLATION, e.getMessage());
            return;
        }
        String requested = frame.path("conversationId").asText(null);
        String lastReplyId = frame.path("lastReplyId").asText(null);
        String conversation = services.conversationIds().belongsTo(requested, verified.userId())
                ? requested : services.conversationIds().mint(verified.userId());
        if (!conversation.equals(requested)) {
            lastReplyId = null;
        }
        connection.send(Frames.ready(conversation, verified.userId()));
        if (!services.router().attach(connection, conversation, verified.userId(), lastReplyId)) {
            connection.close(POLICY_VIOLATION, "too many connections for this user");
            return;
        }
        this.user = verified;
        this.conversationId = conversation;
    }

    private void message(JsonNode frame, ChatEventType type) {
        String clientId = textOrNull(frame, "clientId", 64);
        if (services.clock().instant().isAfter(user.expiresAt())) {
            connection.close(POLICY_VIOLATION, "token expired");
            return;
        }
        String text = frame.path("text").asText("");
        if (text.isBlank()) {
            refuse(Frames.error("empty_message", "the message is empty", clientId), "empty_message");
            return;
        }
        if (text.length() > services.limits().maxMessageChars()) {
            refuse(Frames.error("message_too_large",
                    "messages are limited to " + services.limits().maxMessageChars() + " characters", clientId), "message_too_large");
            return;
        }
        if (!rateLimiter.tryAcquire()) {
            refuse(Frames.error("rate_limited", "too many messages; wait a moment", clientId), "rate_limited");
            return;
        }
        Map<String, String> payload = new HashMap<>();
        JsonNode given = frame.path("payload");
        if (type == ChatEventType.POSTBACK && given.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext() && payload.size() < 20; ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().length() <= 64 && e.getValue().isTextual() && e.getValue().asText().length() <= 256) {
                    payload.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        String eventId = UUID.randomUUID().toString();
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId(eventId)
                .setConversationId(conversationId)
                .setUserId(user.userId())
                .setChannel(services.channel())
                .setType(type)
                .setText(text)
                .setPayload(payload)
                .setLocale(textOrNull(frame, "locale", 35))
                .setOccurredAt(services.clock().instant())
                .build();
        services.publisher().publish(event).whenComplete((ok, failure) -> {
            if (failure == null) {
                services.metrics().message("produced");
                connection.send(Frames.ack(clientId, eventId));
            } else {
                refuse(Frames.error("not_delivered", "the message could not be delivered; try again", clientId), "not_delivered");
            }
        });
    }

    /** Tells the browser why its message was not sent, and counts it. */
    private void refuse(String errorFrame, String outcome) {
        services.metrics().message(outcome);
        connection.send(errorFrame);
    }

    private static String textOrNull(JsonNode frame, String field, int maxLength) {
        JsonNode node = frame.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty() || node.asText().length() > maxLength) {
            return null;
        }
        return node.asText();
    }
}
