package io.parley.gateway.channels;

import io.parley.schemas.AuditEvent;
import io.parley.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a reply that could not be delivered goes: the dead-letter topic ({@code chat.dlq}), the
 * record as read (key and value untouched, for replay) with headers saying why: {@code parley.dlq.reason},
 * {@code parley.dlq.channel} and the source {@code parley.dlq.topic/partition/offset}; and, for a reply
 * that could be read, its {@code UNDELIVERABLE} record on the audit topic ({@link DeliveryAudit}). The sends
 * are awaited, so the reply's offset is committed only once both are written.
 */
public final class DeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private final Topic<byte[], byte[]> topic;
    private final Topic<String, AuditEvent> audit;
    private final KafkaProducer<byte[], byte[]> producer;

    public DeadLetters(Topic<byte[], byte[]> topic, Topic<String, AuditEvent> audit, Map<String, Object> kafkaConfig) {
        this.topic = topic;
        this.audit = audit;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove("group.id");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "parley-gateway-channels-dlq");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public String topicName() {
        return topic.name();
    }

    /** Writes the record to the dead-letter topic; throws when Kafka does not take it (the reply is then read again). */
    public void send(String channel, ConsumerRecord<byte[], byte[]> record, String reason) {
        await(deadLetter(channel, record, reason), record);
    }

    /**
     * Writes the record to the dead-letter topic and {@code event} to the audit topic (keyed by its conversation);
     * throws when Kafka does not take both (the reply is then read again, and the same audit id written again).
     */
    public void undeliverable(String channel, ConsumerRecord<byte[], byte[]> record, String reason, AuditEvent event) {
        Future<RecordMetadata> dead = deadLetter(channel, record, reason);
        byte[] key = audit.keySerde().serializer().serialize(audit.name(), event.getConversationId());
        byte[] value = audit.valueSerde().serializer().serialize(audit.name(), event);
        Future<RecordMetadata> audited = producer.send(new ProducerRecord<>(audit.name(), key, value));
        await(dead, record);
        await(audited, record);
    }

    public String auditTopicName() {
        return audit.name();
    }

    private Future<RecordMetadata> deadLetter(String channel, ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("parley.dlq.reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("parley.dlq.channel", channel.getBytes(StandardCharsets.UTF_8));
        headers.add("parley.dlq.topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("parley.dlq.partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("parley.dlq.offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return producer.send(new ProducerRecord<>(topic.name(), null, record.key(), record.value(), headers));
    }

    private void await(Future<RecordMetadata> sent, ConsumerRecord<byte[], byte[]> record) {
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), e);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cannot dead-letter or audit {}-{} offset {} (to {} and {}): {}", record.topic(), record.partition(),
                    record.offset(), topic.name(), audit.name(), e.toString());
            throw new IllegalStateException("dead letter or audit record not written to " + topic.name() + " / "
                    + audit.name(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
