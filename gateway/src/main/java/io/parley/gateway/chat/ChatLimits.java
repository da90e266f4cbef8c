package io.parley.gateway.chat;

import java.time.Duration;

/**
 * The limits of the web chat. What exceeds a message limit gets an error frame and is not produced.
 *
 * @param maxMessageChars longest message text accepted
 * @param messagesPerSecond average messages a second per connection
 * @param messageBurst messages a connection may send at once before the rate applies
 * @param maxConnectionsPerUser open connections (tabs) per user; one more is refused at hello
 * @param repliesPerConversation replies kept per conversation for reconnects
 * @param bufferedConversations conversations whose replies are kept (least recently used dropped)
 * @param bufferedReplies replies kept in all, the memory bound of the reconnect buffer (the oldest reply of the
 *     least recently active conversation dropped)
 * @param replayWindow how far back replies are kept, and read from the reply topic on start
 */
public record ChatLimits(int maxMessageChars, double messagesPerSecond, int messageBurst, int maxConnectionsPerUser,
                         int repliesPerConversation, int bufferedConversations, int bufferedReplies,
                         Duration replayWindow) {

    public static ChatLimits defaults() {
        return new ChatLimits(2000, 2, 5, 10, 50, 100_000, 100_000, Duration.ofMinutes(15));
    }
}
