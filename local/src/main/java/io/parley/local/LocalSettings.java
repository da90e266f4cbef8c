package io.parley.local;

import io.parley.gateway.channels.ChannelDefinition;
import io.parley.local.demo.DemoPreferences;
import io.parley.topics.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a local mode run is asked for on its command line.
 *
 * @param dataDirectory where the broker data, registry journal and log are kept (default {@code .parley})
 * @param fresh wipe the data directory first
 * @param partitions partitions of every topic
 * @param registryPort port of the schema registry on 127.0.0.1 (0 picks a free one)
 * @param shopApiPort port of the demo shop API on 127.0.0.1 (0 picks a free one)
 * @param shopLatency latency the demo shop API adds to every answer
 * @param topics the topic names
 * @param channel the console chat's channel
 * @param channelReplyTopic the reply topic local mode routes the console channel to
 * @param redisServer the {@code redis-server} binary of the demo preferences (not offered when it is missing)
 * @param adapters the gateway channels (platform adapters, webhook channels) local mode serves besides the web chat
 *     ({@code --channels}): their reply topics are created and routed
 */
public record LocalSettings(Path dataDirectory, boolean fresh, int partitions, int registryPort, int shopApiPort,
                            Duration shopLatency, TopicNames topics, String channel, String channelReplyTopic,
                            Path redisServer, java.util.List<ChannelDefinition> adapters) {

    public LocalSettings {
        adapters = java.util.List.copyOf(adapters);
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(redisServer, "redisServer");
        Objects.requireNonNull(shopLatency, "shopLatency");
        Objects.requireNonNull(topics, "topics");
        requirePort("registry port", registryPort);
        requirePort("shop API port", shopApiPort);
        TopicNames.requireValidName("channelReplyTopic", channelReplyTopic);
    }

    /** Without gateway channels besides the web chat. */
    public LocalSettings(Path dataDirectory, boolean fresh, int partitions, int registryPort, int shopApiPort,
                         Duration shopLatency, TopicNames topics, String channel, String channelReplyTopic,
                         Path redisServer) {
        this(dataDirectory, fresh, partitions, registryPort, shopApiPort, shopLatency, topics, channel, channelReplyTopic,
                redisServer, java.util.List.of());
    }

    /** The same settings serving these gateway channels too. */
    public LocalSettings withAdapters(java.util.List<ChannelDefinition> channels) {
        return new LocalSettings(dataDirectory, fresh, partitions, registryPort, shopApiPort, shopLatency, topics, channel,
                channelReplyTopic, redisServer, channels);
    }

    /** With the demo preferences on Debian's {@code redis-server}, when it is installed. */
    public LocalSettings(Path dataDirectory, boolean fresh, int partitions, int registryPort, int shopApiPort,
                         Duration shopLatency, TopicNames topics, String channel, String channelReplyTopic) {
        this(dataDirectory, fresh, partitions, registryPort, shopApiPort, shopLatency, topics, channel, channelReplyTopic,
                DemoPreferences.DEFAULT_BINARY);
    }

    /** The same settings with another {@code redis-server} binary. */
    public LocalSettings withRedisServer(Path binary) {
        return new LocalSettings(dataDirectory, fresh, partitions, registryPort, shopApiPort, shopLatency, topics, channel,
                channelReplyTopic, binary, adapters);
    }

    /** The topics local mode creates. */
    public LocalTopics localTopics() {
        java.util.List<String> routed = new java.util.ArrayList<>(java.util.List.of(channelReplyTopic, webReplyTopic()));
        adapters.forEach(a -> routed.add(a.replyTopic()));
        return new LocalTopics(topics, routed.stream().distinct().toList(), partitions);
    }

    /** The web chat's channel name: the gateway local mode runs writes it into its chat events. */
    public static final String WEB_CHANNEL = "web";

    /** The reply topic of the web chat gateway ({@code chat.replies.web} by default). */
    public String webReplyTopic() {
        return topics.defaultReplies() + "." + WEB_CHANNEL;
    }

    private static void requirePort(String what, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("The " + what + " must be between 0 and 65535: " + port);
        }
    }
}
