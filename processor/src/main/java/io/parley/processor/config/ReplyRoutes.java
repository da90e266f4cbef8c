package io.parley.processor.config;

import io.parley.topics.TopicNames;
import java.util.Map;

/**
 * Which topic a reply goes to, by the channel of its conversation: the {@code replies.routes} of
 * processor.yaml (for example {@code web: chat.replies.web}), and the {@code defaultReplies}
 * topic for every other channel.
 */
public record ReplyRoutes(Map<String, String> routes, String defaultTopic) {

    public ReplyRoutes {
        routes.forEach((channel, topic) -> TopicNames.requireValidName("replies.routes." + channel, topic));
        TopicNames.requireValidName(TopicNames.DEFAULT_REPLIES, defaultTopic);
        routes = Map.copyOf(routes);
    }

    public String topicFor(String channel) {
        return channel == null ? defaultTopic : routes.getOrDefault(channel, defaultTopic);
    }
}
