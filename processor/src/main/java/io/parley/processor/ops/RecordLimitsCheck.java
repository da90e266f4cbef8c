package io.parley.processor.ops;

import io.parley.processor.config.InputLimits;
import io.parley.processor.config.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that every record a turn can write fits what Kafka accepts: the {@code limits:}
 * section against the producer's {@code max.request.size} and each topic's
 * {@code max.message.bytes} (the broker's {@code message.max.bytes} for the changelogs Kafka Streams
 * creates, unless {@code topic.max.message.bytes} is set). A limit that does not fit stops the
 * start with the file, the key, and the topic that cannot take it.
 */
public final class RecordLimitsCheck {

    private static final Logger LOG = LoggerFactory.getLogger(RecordLimitsCheck.class);

    /**
     * What a record adds to its value besides its key: the batch header (61 bytes), the record's own
     * framing and the registry's 5-byte framing, rounded up generously.
     */
    static final int RECORD_OVERHEAD = 512;
    /** A broker's {@code message.max.bytes} unless configured. */
    static final int DEFAULT_MESSAGE_MAX_BYTES = 1_048_588;
    /** A Kafka producer's {@code max.request.size} unless configured. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /** How many limited texts an audit record holds at most (the text and its attribute values). */
    static final int AUDIT_TEXTS = 8;
    /** The ids and names a request, reply or audit record carries besides its bounded texts, each at most maxIdLength. */
    static final int IDS_PER_RECORD = 12;

    private final Admin admin;
    private final Duration timeout;

    public RecordLimitsCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * What the processor writes, and where.
     *
     * @param source the configuration file, for messages
     * @param streamsProperties the Kafka Streams properties (for {@code max.request.size} and {@code topic.max.message.bytes})
     * @param requests the backend requests topic
     * @param replies every reply topic
     * @param audit the audit topic
     * @param deadLetters the dead-letter topic
     */
    public record Targets(String source, Map<String, Object> streamsProperties, String requests, Collection<String> replies,
                          String audit, String deadLetters) {
    }

    /** @throws ProcessorStartupException naming the file, the key and the topic of the first limit that does not fit */
    public void verify(Limits limits, InputLimits inputs, Targets targets) {
        List<String> topics = new ArrayList<>();
        topics.add(targets.requests());
        topics.addAll(targets.replies());
        topics.add(targets.audit());
        topics.add(targets.deadLetters());
        Map<String, Integer> topicLimits = topicLimits(topics.stream().distinct().toList());
        check(limits, inputs, targets, topicLimits, changelogLimit(targets.streamsProperties()));
    }

    /** The check itself, on limits already looked up (a topic that is not described is not checked). */
    static void check(Limits limits, InputLimits inputs, Targets targets, Map<String, Integer> topicLimits, int changelogMaxMessageBytes) {
        int producerMax = producerMaxRequestSize(targets.streamsProperties());
        int ids = IDS_PER_RECORD * 4 * inputs.maxIdLength();
        fits(targets.source(), "maxSessionBytes", limits.maxSessionBytes() + 4 * inputs.maxIdLength() + RECORD_OVERHEAD,
                "the sessions changelog", Math.min(producerMax, changelogMaxMessageBytes));
        fits(targets.source(), "maxRequestBytes", limits.maxRequestBytes() + ids + RECORD_OVERHEAD,
                targets.requests(), limit(producerMax, topicLimits, targets.requests()));
        for (String replies : targets.replies()) {
            fits(targets.source(), "maxReplyChars", 4 * limits.maxReplyChars() + ids + RECORD_OVERHEAD,
                    replies, limit(producerMax, topicLimits, replies));
        }
        fits(targets.source(), "maxAuditTextChars", AUDIT_TEXTS * 4 * limits.maxAuditTextChars() + ids + RECORD_OVERHEAD,
                targets.audit(), limit(producerMax, topicLimits, targets.audit()));
        fits(targets.source(), "maxDeadLetterBytes", limits.maxDeadLetterBytes() + RECORD_OVERHEAD,
                targets.deadLetters(), limit(producerMax, topicLimits, targets.deadLetters()));
    }

    private static void fits(String source, String key, long needed, String target, int accepted) {
        if (needed > accepted) {
            throw new ProcessorStartupException(source + ": limits." + key + " lets a record grow to " + needed
                    + " bytes (with ids and record overhead), but " + target + " accepts " + accepted
                    + " (the smaller of the producer's max.request.size and the topic's max.message.bytes);"
                    + " lower limits." + key + " or raise the topic's limit");
        }
    }

    private static int limit(int producerMax, Map<String, Integer> topicLimits, String topic) {
        return Math.min(producerMax, topicLimits.getOrDefault(topic, Integer.MAX_VALUE));
    }

    static int producerMaxRequestSize(Map<String, Object> props) {
        Object value = props.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        return value == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().strip());
    }

    private int changelogLimit(Map<String, Object> props) {
        Object configured = props.get(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
        if (configured != null) {
            return Integer.parseInt(configured.toString().strip());
        }
        try {
            Collection<Node> nodes = await(admin.describeCluster().nodes(), "the cluster");
            if (nodes.isEmpty()) {
                return DEFAULT_MESSAGE_MAX_BYTES;
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(nodes.iterator().next().id()));
            Config config = await(admin.describeConfigs(List.of(broker)).all(), "the broker configuration").get(broker);
            ConfigEntry entry = config == null ? null : config.get("message.max.bytes");
            return entry == null || entry.value() == null ? DEFAULT_MESSAGE_MAX_BYTES : Integer.parseInt(entry.value());
        } catch (ProcessorStartupException e) {
            // A cluster with ACLs may not let the processor read broker configurations: assume Kafka's default.
            LOG.warn("Could not read the broker's message.max.bytes ({}); the changelogs are checked against Kafka's default {}",
                    e.getMessage(), DEFAULT_MESSAGE_MAX_BYTES);
            return DEFAULT_MESSAGE_MAX_BYTES;
        }
    }

    private Map<String, Integer> topicLimits(List<String> topics) {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Integer> limits = new LinkedHashMap<>();
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(resources).values();
        for (ConfigResource resource : resources) {
            try {
                Config config = futures.get(resource).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry != null && entry.value() != null) {
                    limits.put(resource.name(), Integer.parseInt(entry.value()));
                }
            } catch (ExecutionException e) {
                // A topic that does not exist yet (or that the processor may not describe) is left to the
                // broker's defaults; the co-partitioning check names the input topics that must exist.
            } catch (TimeoutException e) {
                throw new ProcessorStartupException("Kafka did not answer within " + timeout + " while the limits of "
                        + resource.name() + " were read", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessorStartupException("Interrupted while reading the topics' limits", e);
            }
        }
        return limits;
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ProcessorStartupException("Could not read " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ProcessorStartupException("Kafka did not answer within " + timeout + " while " + what + " was read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessorStartupException("Interrupted while reading " + what, e);
        }
    }
}
