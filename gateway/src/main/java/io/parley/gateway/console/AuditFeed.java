package io.parley.gateway.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.gateway.kafka.CommittedReads;
import io.parley.schemas.AuditEvent;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the audit stream for the console: every partition, no consumer group, from
 * {@code window} back on start. Each entry goes to the {@link ConversationLog} and to the open
 * console pages.
 */
public final class AuditFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditFeed.class);
    private final Topic<String, AuditEvent> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConversationLog log;
    private final Duration window;
    private final Clock clock;
    private final List<Consumer<ObjectNode>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public AuditFeed(Topic<String, AuditEvent> topic, Map<String, Object> kafkaConfig, ConversationLog log,
                     Duration window, Clock clock) {
        this.topic = topic;
        this.log = log;
        this.window = window;
        this.clock = clock;
        Map<String, Object> config = CommittedReads.consumerConfig(kafkaConfig, "parley-gateway-console");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gateway-console-audit");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public ConversationLog log() {
        return log;
    }

    /** Registers a live listener; returns what unregisters it. */
    public Runnable listen(Consumer<ObjectNode> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            while (running && partitions.isEmpty()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
                if (infos != null) {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            partitions.forEach(tp -> since.put(tp, clock.millis() - window.toMillis()));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, Duration.ofSeconds(10));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            partitions.forEach(tp -> consumer.seek(tp, offsets.get(tp) != null ? offsets.get(tp).offset() : ends.get(tp)));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("console audit feed of {} stopped: {}", topic.name(), e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        AuditEvent event;
        try {
            event = topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            event = null;
        }
        if (event == null) {
            LOG.warn("skipped an unreadable audit record at {}-{} offset {}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        for (ObjectNode entry : log.addRecord(event)) {
            listeners.forEach(l -> l.accept(entry));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
