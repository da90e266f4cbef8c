package io.parley.e2e.load;

import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a reply topic from its beginning as a channel would under exactly-once: with
 * {@code isolation.level=read_committed}, so replies of aborted transactions are never seen.
 * Each reply goes to the listener, in partition order, on the reader's own thread.
 */
public final class ReplyReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyReader.class);

    private final KafkaConsumer<String, ChatReply> consumer;
    private final List<TopicPartition> partitions;
    private final Consumer<ChatReply> listener;
    private final Thread thread;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean running = true;

    public ReplyReader(String bootstrapServers, Topic<String, ChatReply> replies, Consumer<ChatReply> listener) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                replies.keySerde().deserializer(), replies.valueSerde().deserializer());
        this.partitions = consumer.partitionsFor(replies.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        this.listener = listener;
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "reply-reader-" + replies.name());
    }

    public ReplyReader start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, ChatReply> record : consumer.poll(Duration.ofMillis(100))) {
                    listener.accept(record.value());
                }
                synchronized (positions) {
                    partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("The reply reader stopped", e);
        }
    }

    /** Whether everything committed up to these offsets has been read. */
    public boolean hasRead(Map<TopicPartition, Long> endOffsets) {
        synchronized (positions) {
            return endOffsets.entrySet().stream()
                    .allMatch(end -> positions.getOrDefault(end.getKey(), 0L) >= end.getValue());
        }
    }

    public String topic() {
        return partitions.get(0).topic();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
