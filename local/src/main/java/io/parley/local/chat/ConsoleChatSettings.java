package io.parley.local.chat;

import io.parley.topics.TopicNames;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a console chat. It talks to Kafka only, like any channel: it produces chat
 * events and notifications and reads the reply topics of its channel.
 *
 * @param kafka Kafka client settings passed as they are ({@code bootstrap.servers}, TLS/SASL...)
 * @param serde serde settings passed as they are ({@code schema.registry.url}...)
 * @param topics the topic names
 * @param channel the channel name put on every event; the processor routes replies by it
 * @param replyTopics the topics replies for this channel can arrive on (its routed topic and
 *     the default reply topic)
 * @param defaultUserId the user id offered when the chat asks for one, and used when it does not ask
 * @param replyTimeout how long a scripted chat waits for the final reply to a message
 * @param quietPeriod how long a scripted chat waits, after the last reply, for events that may
 *     get no reply (session start, erase, notifications)
 */
public record ConsoleChatSettings(Map<String, Object> kafka, Map<String, Object> serde, TopicNames topics, String channel,
                                  List<String> replyTopics, String defaultUserId, Duration replyTimeout,
                                  Duration quietPeriod) {

    /** The channel name of the console chat unless configured otherwise. */
    public static final String DEFAULT_CHANNEL = "console";
    public static final String DEFAULT_USER_ID = "alice";

    public ConsoleChatSettings {
        kafka = Map.copyOf(kafka);
        serde = Map.copyOf(serde);
        Objects.requireNonNull(topics, "topics");
        requireText("channel", channel);
        requireText("defaultUserId", defaultUserId);
        replyTopics = List.copyOf(replyTopics);
        if (replyTopics.isEmpty()) {
            throw new IllegalArgumentException("The console chat needs at least one reply topic");
        }
        replyTopics.forEach(topic -> TopicNames.requireValidName("replyTopics", topic));
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("The console chat needs bootstrap.servers in its Kafka settings");
        }
        requirePositive("replyTimeout", replyTimeout);
        requirePositive("quietPeriod", quietPeriod);
    }

    /**
     * Settings with the defaults: channel {@code console}, reply topics {@code <defaultReplies>}
     * and {@code <defaultReplies>.console}, user {@code alice}, 30 s reply timeout, 2 s quiet period.
     */
    public static ConsoleChatSettings defaults(String bootstrapServers, String registryUrl) {
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("bootstrap.servers", bootstrapServers);
        TopicNames topics = TopicNames.defaults();
        return new ConsoleChatSettings(kafka, Map.of("schema.registry.url", registryUrl), topics, DEFAULT_CHANNEL,
                routedAndDefault(topics, DEFAULT_CHANNEL), DEFAULT_USER_ID, Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    /** The channel's conventional reply topic ({@code <defaultReplies>.<channel>}) and the default one. */
    public static List<String> routedAndDefault(TopicNames topics, String channel) {
        return List.of(topics.defaultReplies() + "." + channel, topics.defaultReplies());
    }

    public ConsoleChatSettings withChannel(String value, List<String> replyTopicsOfChannel) {
        return new ConsoleChatSettings(kafka, serde, topics, value, replyTopicsOfChannel, defaultUserId, replyTimeout, quietPeriod);
    }

    public ConsoleChatSettings withTopics(TopicNames value) {
        return new ConsoleChatSettings(kafka, serde, value, channel, replyTopics, defaultUserId, replyTimeout, quietPeriod);
    }

    public ConsoleChatSettings withDefaultUserId(String value) {
        return new ConsoleChatSettings(kafka, serde, topics, channel, replyTopics, value, replyTimeout, quietPeriod);
    }

    public ConsoleChatSettings withWaits(Duration timeout, Duration quiet) {
        return new ConsoleChatSettings(kafka, serde, topics, channel, replyTopics, defaultUserId, timeout, quiet);
    }

    /** These Kafka client settings on top of the current ones (TLS, SASL...). */
    public ConsoleChatSettings withKafka(Map<String, ?> more) {
        Map<String, Object> merged = new LinkedHashMap<>(kafka);
        merged.putAll(more);
        return new ConsoleChatSettings(merged, serde, topics, channel, replyTopics, defaultUserId, replyTimeout, quietPeriod);
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The console chat's " + name + " must not be blank");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("The console chat's " + name + " must be positive: " + value);
        }
    }
}
