package io.parley.processor.topology;

import io.parley.processor.config.ReplyRoutes;
import io.parley.schemas.ChatReply;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Sends each reply to the topic of its channel. */
final class ReplyTopicExtractor implements TopicNameExtractor<String, ChatReply> {

    private final ReplyRoutes routes;

    ReplyTopicExtractor(ReplyRoutes routes) {
        this.routes = routes;
    }

    @Override
    public String extract(String key, ChatReply reply, RecordContext recordContext) {
        return routes.topicFor(reply.getChannel());
    }

    /** Shown by {@code Topology.describe()}. */
    @Override
    public String toString() {
        return "reply topic by channel " + routes.routes() + ", default " + routes.defaultTopic();
    }
}
