package io.parley.gateway.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.ChatReply;

/**
 * The JSON frames of the web chat protocol.
 *
 * <p>Browser to gateway: {@code {"type":"hello","token":..,"conversationId":..,"lastReplyId":..}}
 * first, then {@code {"type":"message","text":..,"clientId":..}} and
 * {@code {"type":"postback","text":..,"payload":{..}}}.
 *
 * <p>Gateway to browser: {@code ready} (conversation id and user id), {@code reply},
 * {@code ack} (an event was accepted by Kafka), {@code error} (code and message; the event was not produced).
 */
public final class Frames {

    static final ObjectMapper JSON = new ObjectMapper();

    private Frames() {
    }

    public static String ready(String conversationId, String userId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "ready");
        node.put("conversationId", conversationId);
        node.put("userId", userId);
        return write(node);
    }

    public static String reply(ChatReply reply) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "reply");
        node.put("replyId", reply.getReplyId());
        node.put("conversationId", reply.getConversationId());
        node.put("kind", reply.getKind().name());
        node.put("text", reply.getText());
        if (reply.getInReplyTo() != null) {
            node.put("inReplyTo", reply.getInReplyTo());
        }
        ArrayNode quick = node.putArray("quickReplies");
        reply.getQuickReplies().forEach(quick::add);
        node.put("createdAt", reply.getCreatedAt().toEpochMilli());
        return write(node);
    }

    public static String ack(String clientId, String eventId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "ack");
        if (clientId != null) {
            node.put("clientId", clientId);
        }
        node.put("eventId", eventId);
        return write(node);
    }

    public static String error(String code, String message, String clientId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "error");
        node.put("code", code);
        node.put("message", message);
        if (clientId != null) {
            node.put("clientId", clientId);
        }
        return write(node);
    }

    /** Parses a browser frame; null when it is not a JSON object. */
    static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
