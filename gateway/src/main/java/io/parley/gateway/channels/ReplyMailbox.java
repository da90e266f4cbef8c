package io.parley.gateway.channels;

import io.parley.schemas.ChatReply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The replies of a long-poll channel, held per conversation for {@code keep} (at most
 * {@code perConversation} each, {@code maxConversations} conversations, the least recently
 * active dropped first), and the long-polls waiting for them. A poll names the last reply it has
 * ({@code after}); it gets those after it at once, or waits for the next.
 */
public final class ReplyMailbox {

    private final int perConversation;
    private final int maxConversations;
    private final Duration keep;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final LinkedHashMap<String, Deque<ChatReply>> held = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, List<CompletableFuture<List<ChatReply>>>> waiting = new HashMap<>();

    public ReplyMailbox(int perConversation, int maxConversations, Duration keep, Clock clock,
                        ScheduledExecutorService timer) {
        this.perConversation = perConversation;
        this.maxConversations = maxConversations;
        this.keep = keep;
        this.clock = clock;
        this.timer = timer;
    }

    /** Holds a reply (once per reply id) and answers the polls waiting for its conversation. */
    public void add(ChatReply reply) {
        List<CompletableFuture<List<ChatReply>>> woken;
        synchronized (this) {
            Deque<ChatReply> replies = held.computeIfAbsent(reply.getConversationId(), c -> new ArrayDeque<>());
            for (ChatReply r : replies) {
                if (r.getReplyId().equals(reply.getReplyId())) {
                    return;
                }
            }
            replies.addLast(reply);
            while (replies.size() > perConversation) {
                replies.removeFirst();
            }
            while (held.size() > maxConversations) {
                Iterator<String> eldest = held.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            woken = waiting.remove(reply.getConversationId());
        }
        if (woken != null) {
            woken.forEach(w -> w.complete(List.of(reply)));
        }
    }

    /**
     * The replies of {@code conversationId} after the one with id {@code afterReplyId} (all held when
     * null or no longer held); when there are none, completes with the next one, or with none after
     * {@code wait}.
     */
    public CompletableFuture<List<ChatReply>> poll(String conversationId, String afterReplyId, Duration wait) {
        CompletableFuture<List<ChatReply>> answer = new CompletableFuture<>();
        synchronized (this) {
            List<ChatReply> ready = after(conversationId, afterReplyId);
            if (!ready.isEmpty() || wait.isZero()) {
                answer.complete(ready);
                return answer;
            }
            waiting.computeIfAbsent(conversationId, c -> new ArrayList<>()).add(answer);
        }
        timer.schedule(() -> {
            synchronized (this) {
                List<CompletableFuture<List<ChatReply>>> list = waiting.get(conversationId);
                if (list != null) {
                    list.remove(answer);
                    if (list.isEmpty()) {
                        waiting.remove(conversationId);
                    }
                }
            }
            answer.complete(List.of());
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
        return answer;
    }

    private List<ChatReply> after(String conversationId, String afterReplyId) {
        Deque<ChatReply> replies = held.get(conversationId);
        if (replies == null) {
            return List.of();
        }
        long oldest = clock.millis() - keep.toMillis();
        replies.removeIf(r -> r.getCreatedAt().toEpochMilli() < oldest);
        List<ChatReply> out = new ArrayList<>();
        boolean found = afterReplyId == null;
        for (ChatReply r : replies) {
            if (found) {
                out.add(r);
            } else if (r.getReplyId().equals(afterReplyId)) {
                found = true;
            }
        }
        // A reply id no longer held (or never seen): the caller gets everything held, replies carry ids to dedup.
        return found ? out : new ArrayList<>(replies);
    }
}
