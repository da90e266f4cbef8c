package io.parley.bench.load;

import java.util.Objects;

/**
 * What the simulated users say: every turn is one chat message of {@code text} on
 * {@code channel}, in one of {@code conversations} conversations used round-robin (turn n goes
 * to conversation n mod conversations), each with its own user.
 *
 * <p>Round-robin over a pool larger than the in-flight bound means a conversation rarely has
 * two turns in flight, as with real users who wait for an answer before they type again.
 *
 * @param channel the channel of every event; the pipeline must route its replies to the reply topic the bench reads
 * @param text the message, chosen to trigger the flow the scenario measures
 * @param conversationPrefix prefix of conversation and user ids, to keep phases apart
 * @param conversations how many distinct conversations the turns cycle through
 */
public record Workload(String channel, String text, String conversationPrefix, int conversations) {

    /** The demo shop's order-status question: one backend call (shop-api getOrder) per turn. */
    public static final String ORDER_STATUS_TEXT = "where is my order 1001";
    /** How the answer to {@link #ORDER_STATUS_TEXT} starts when the backend's order reached the user. */
    public static final String ORDER_ANSWER_PREFIX = "Order 1001 is ";

    public Workload {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(conversationPrefix, "conversationPrefix");
        if (conversations < 1) {
            throw new IllegalArgumentException("A workload needs at least one conversation, not " + conversations);
        }
    }

    public String conversationId(long seq) {
        return conversationPrefix + "c" + (seq % conversations);
    }

    public String userId(long seq) {
        return conversationPrefix + "u" + (seq % conversations);
    }
}
