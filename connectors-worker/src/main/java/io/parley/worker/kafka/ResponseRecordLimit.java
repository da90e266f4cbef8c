package io.parley.worker.kafka;

import io.parley.worker.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How large a response record the worker may write: the smaller of the response topic's
 * {@code max.message.bytes} and the producer's {@code max.request.size}. A backend answer must
 * fit in it together with the rest of the record, so the largest answer a connector may accept
 * is that limit less {@link #RECORD_OVERHEAD_BYTES}. Without this, an answer just under the
 * connector's cap made a record Kafka refused, the record was delivered again, and the backend
 * was called again (a write applied several times) before the user got the fallback.
 *
 * @param topic the response topic
 * @param topicMaxMessageBytes its {@code max.message.bytes} (Kafka's default when it could not be read)
 * @param maxRequestSize the producer's {@code max.request.size}
 */
public record ResponseRecordLimit(String topic, int topicMaxMessageBytes, int maxRequestSize) {

    /**
     * What a response record holds besides the answer: the key, request id, conversation id,
     * connector and operation names (ids are at most a few hundred characters, up to 4 bytes each),
     * the error text, the Avro and registry framing, and Kafka's record and batch headers.
     */
    public static final int RECORD_OVERHEAD_BYTES = 16 * 1024;
    /** A topic's {@code max.message.bytes} when the broker does not say otherwise (1 MiB and the log overhead). */
    public static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    /** A producer's {@code max.request.size} unless configured. */
    public static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    private static final Logger LOG = LoggerFactory.getLogger(ResponseRecordLimit.class);

    /** The largest response record, in bytes as the producer counts them. */
    public int recordBytes() {
        return Math.min(topicMaxMessageBytes, maxRequestSize);
    }

    /** The largest backend answer that fits a response record, or 0 when none does. */
    public long maxAnswerBytes() {
        return Math.max(0, recordBytes() - RECORD_OVERHEAD_BYTES);
    }

    /** Says which limit binds, for messages. */
    public String describe() {
        return topic + " accepts records of up to " + recordBytes() + " bytes (the smaller of the topic's max.message.bytes, "
                + topicMaxMessageBytes + ", and the producer's max.request.size, " + maxRequestSize + "), and "
                + RECORD_OVERHEAD_BYTES + " bytes of it are kept for ids and record overhead";
    }

    /**
     * Reads the response topic's limit through an admin client of the worker's Kafka settings. A
     * cluster whose ACLs do not let the worker describe the topic (or a broker that does not answer in
     * time) leaves Kafka's default, said once at WARN.
     */
    public static ResponseRecordLimit read(WorkerConfig config, String topic, Duration timeout) {
        KafkaClients clients = new KafkaClients(config, "limits");
        int maxRequestSize = maxRequestSize(clients.producer());
        try (Admin admin = Admin.create(clients.admin())) {
            return new ResponseRecordLimit(topic, topicMaxMessageBytes(admin, topic, timeout), maxRequestSize);
        }
    }

    static int maxRequestSize(Map<String, Object> producer) {
        Object value = producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return value == null ? KAFKA_DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().strip());
    }

    private static int topicMaxMessageBytes(Admin admin, String topic, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                return Integer.parseInt(entry.value());
            }
            return fallback(topic, "the broker did not report it");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof AuthorizationException
                    ? "not authorized to describe the topic's configuration"
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return fallback(topic, reason);
        } catch (TimeoutException e) {
            return fallback(topic, "the broker did not answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback(topic, "interrupted");
        }
    }

    private static int fallback(String topic, String reason) {
        LOG.warn("Could not read {} of topic {} ({}); response records are sized for Kafka's default, {} bytes",
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topic, reason, KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
        return KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
    }
}
