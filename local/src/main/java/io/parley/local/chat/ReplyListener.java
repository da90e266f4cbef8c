package io.parley.local.chat;

import io.parley.schemas.ChatReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the reply topics on a thread of its own and hands each reply meant for this console to
 * a callback. It reads from the end of every partition as of its start (older replies belong to
 * earlier sessions), committed records only ({@code read_committed}: the processor writes
 * replies in transactions), without a consumer group.
 */
final class ReplyListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, ChatReply> consumer;
    private final Predicate<ChatReply> mine;
    private final Consumer<ChatReply> onReply;
    private final Consumer<String> onSkipped;
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private ReplyListener(KafkaConsumer<String, ChatReply> consumer, Predicate<ChatReply> mine,
                          Consumer<ChatReply> onReply, Consumer<String> onSkipped) {
        this.consumer = consumer;
        this.mine = mine;
        this.onReply = onReply;
        this.onSkipped = onSkipped;
        this.thread = new Thread(this::run, "console-chat-replies");
        this.thread.setDaemon(true);
    }

    /**
     * Positions on the end of the reply topics, then starts reading. When this returns, no reply
     * produced afterwards can be missed.
     *
     * @param onSkipped told (with topic, partition and offset) about a record that could not be read
     * @throws IllegalStateException when a reply topic does not exist
     */
    static ReplyListener start(Map<String, Object> kafka, Deserializer<ChatReply> replies, List<String> topics,
                               Predicate<ChatReply> mine, Consumer<ChatReply> onReply, Consumer<String> onSkipped) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "parley-console-replies");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<String, ChatReply> consumer = new KafkaConsumer<>(config, new StringDeserializer(), replies);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("The reply topic " + topic + " does not exist");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy: resolving the positions now pins "the end" to this moment.
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        ReplyListener listener = new ReplyListener(consumer, mine, onReply, onSkipped);
        listener.thread.start();
        return listener;
    }

    /** How many reply records could not be read. */
    long skipped() {
        return skipped.get();
    }

    private void run() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, ChatReply> record : consumer.poll(POLL)) {
                        if (record.value() != null && mine.test(record.value())) {
                            onReply.accept(record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    skip(e);
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up: stop.
        } catch (RuntimeException e) {
            LOG.error("The console chat stopped reading replies", e);
            onSkipped.accept("replies can no longer be read: " + e.getMessage());
        } finally {
            consumer.close();
        }
    }

    private void skip(RecordDeserializationException e) {
        TopicPartition partition = e.topicPartition();
        skipped.incrementAndGet();
        LOG.warn("Skipped an unreadable reply at topic {} partition {} offset {}: {}",
                partition.topic(), partition.partition(), e.offset(), e.getMessage());
        onSkipped.accept("skipped an unreadable reply at " + partition + " offset " + e.offset());
        consumer.seek(partition, e.offset() + 1);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
