package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.ChatReply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reply as the generic channel's callers see it, in a callback body or a long-poll answer:
 * {@code replyId, conversationId} (the caller's own, without the channel prefix), {@code userId,
 * kind, text, quickReplies, inReplyTo} (the caller's event id) and {@code createdAt} (ISO-8601).
 */
final class ReplyJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplyJson() {
    }

    static ObjectNode of(ChatReply reply, String channel) {
        ObjectNode node = JSON.createObjectNode();
        node.put("replyId", reply.getReplyId());
        node.put("conversationId", unprefixed(reply.getConversationId(), channel));
        node.put("userId", reply.getUserId());
        node.put("kind", reply.getKind().name());
        node.put("text", reply.getText());
        ArrayNode quick = node.putArray("quickReplies");
        reply.getQuickReplies().forEach(quick::add);
        if (reply.getInReplyTo() == null) {
            node.putNull("inReplyTo");
        } else {
            node.put("inReplyTo", unprefixed(reply.getInReplyTo(), channel));
        }
        node.put("createdAt", reply.getCreatedAt().toString());
        return node;
    }

    static byte[] bytes(ChatReply reply, String channel) {
        return of(reply, channel).toString().getBytes(StandardCharsets.UTF_8);
    }

    static String list(List<ChatReply> replies, String channel) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("replies");
        replies.forEach(r -> array.add(of(r, channel)));
        return body.toString();
    }

    private static String unprefixed(String id, String channel) {
        String prefix = channel + ":";
        return id.startsWith(prefix) ? id.substring(prefix.length()) : id;
    }
}
