package io.parley.gateway.chat;

import io.parley.schemas.ChatReply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent replies of each conversation, so a browser that reconnects gets what it missed. It is
 * a cache of the reply topic, not state of its own: every instance fills it from the topic (on start
 * from {@code maxAge} back), so it holds the same replies on every instance.
 *
 * <p>Limits: at most {@code perConversation} replies per conversation, replies younger than
 * {@code maxAge}, at most {@code maxConversations} conversations (least recently used dropped), and
 * at most {@code maxReplies} replies in all, which is what bounds the memory: when a reply would
 * exceed it, the oldest reply of the least recently active conversation goes. (Without it, 10,000
 * busy conversations at 50 replies each held about 190 MB of short replies.)
 * Not thread-safe: {@link ReplyRouter} guards it.
 */
final class ReplyBuffer {

    private final int perConversation;
    private final Duration maxAge;
    private final Clock clock;
    private final int maxReplies;
    private final LinkedHashMap<String, Deque<ChatReply>> byConversation;
    private int held;

    ReplyBuffer(int perConversation, int maxConversations, int maxReplies, Duration maxAge, Clock clock) {
        this.perConversation = perConversation;
        this.maxReplies = maxReplies;
        this.maxAge = maxAge;
        this.clock = clock;
        this.byConversation = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<ChatReply>> eldest) {
                if (size() > maxConversations) {
                    held -= eldest.getValue().size();
                    return true;
                }
                return false;
            }
        };
    }

    /** Adds a reply; false when a reply with the same id is already held (a redelivery). */
    boolean add(ChatReply reply) {
        Deque<ChatReply> replies = byConversation.computeIfAbsent(reply.getConversationId(), id -> new ArrayDeque<>());
        for (ChatReply held : replies) {
            if (held.getReplyId().equals(reply.getReplyId())) {
                return false;
            }
        }
        replies.addLast(reply);
        held++;
        while (replies.size() > perConversation) {
            replies.removeFirst();
            held--;
        }
        while (held > maxReplies) {
            dropOldestOfLeastRecent();
        }
        return true;
    }

    /** Replies held in all conversations. */
    int size() {
        return held;
    }

    private void dropOldestOfLeastRecent() {
        // Iterating an access-ordered map does not count as access: the first entry stays the least recent.
        Iterator<Map.Entry<String, Deque<ChatReply>>> eldest = byConversation.entrySet().iterator();
        Deque<ChatReply> replies = eldest.next().getValue();
        replies.removeFirst();
        held--;
        if (replies.isEmpty()) {
            eldest.remove();
        }
    }

    /**
     * The held replies after {@code lastReplyId}, oldest first; all held replies when the id is null
     * or no longer held (then the browser may have missed more than the buffer keeps).
     */
    List<ChatReply> after(String conversationId, String lastReplyId) {
        Deque<ChatReply> replies = byConversation.get(conversationId);
        if (replies == null) {
            return List.of();
        }
        dropExpired(replies);
        List<ChatReply> all = new ArrayList<>(replies);
        if (lastReplyId != null) {
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).getReplyId().equals(lastReplyId)) {
                    return List.copyOf(all.subList(i + 1, all.size()));
                }
            }
        }
        return all;
    }

    private void dropExpired(Deque<ChatReply> replies) {
        long oldest = clock.millis() - maxAge.toMillis();
        for (Iterator<ChatReply> it = replies.iterator(); it.hasNext(); ) {
            if (it.next().getCreatedAt().toEpochMilli() < oldest) {
                it.remove();
                held--;
            } else {
                return;
            }
        }
    }
}
