package io.parley.bench.websocket;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's part of each message, read from the records themselves: the chat event's
 * timestamp, which the gateway's producer stamps when the gateway hands the event over
 * ({@code CreateTime}), and the reply's timestamp, which the broker stamps when it appends the
 * reply ({@code LogAppendTime}, set on the reply topic by the scenario). Both come from this
 * machine's clock, in milliseconds. Reads both topics from the beginning, without a group.
 */
public final class RecordTimes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordTimes.class);

    private final Topic<String, ChatEvent> events;
    private final Topic<String, ChatReply> replies;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Long> eventCreated = new ConcurrentHashMap<>();
    private final Map<String, Long> replyAppended = new ConcurrentHashMap<>();
    private final AtomicLong wrongTimestampType = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile CompletableFuture<Void> catchUp;

    public RecordTimes(Map<String, Object> clientConfig, Topic<String, ChatEvent> events, Topic<String, ChatReply> replies) {
        this.events = events;
        this.replies = replies;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-record-times");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "bench-record-times");
        thread.setDaemon(true);
    }

    /** Assigns every partition of both topics from the beginning and starts reading. */
    public void start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(events.name(), replies.name())) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.start();
    }

    private void run() {
        Map<TopicPartition, Long> target = null;
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    handle(record);
                }
                CompletableFuture<Void> requested = catchUp;
                if (requested != null && !requested.isDone()) {
                    if (target == null) {
                        target = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
                    }
                    boolean reached = true;
                    for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
                        reached &= consumer.position(end.getKey()) >= end.getValue();
                    }
                    if (reached) {
                        requested.complete(null);
                        target = null;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Reading the record timestamps stopped: {}", e.toString());
            CompletableFuture<Void> requested = catchUp;
            if (requested != null) {
                requested.completeExceptionally(e);
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(events.name())) {
                ChatEvent event = events.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
                if (record.timestampType() != TimestampType.CREATE_TIME) {
                    wrongTimestampType.incrementAndGet();
                }
                eventCreated.put(event.getEventId(), record.timestamp());
            } else {
                ChatReply reply = replies.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
                if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
                    wrongTimestampType.incrementAndGet();
                }
                if (reply.getInReplyTo() != null) {
                    replyAppended.putIfAbsent(reply.getInReplyTo(), record.timestamp());
                }
            }
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
        }
    }

    /** Returns once everything in both topics now has been read. */
    public void awaitCaughtUp(Duration timeout) throws Exception {
        CompletableFuture<Void> requested = new CompletableFuture<>();
        catchUp = requested;
        requested.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Event id to the chat event record's timestamp (ms). */
    public Map<String, Long> eventCreated() {
        return Map.copyOf(eventCreated);
    }

    /** Event id to the timestamp (ms) of the first reply record in reply to it. */
    public Map<String, Long> replyAppended() {
        return Map.copyOf(replyAppended);
    }

    /**
     * Records whose timestamp is not of the expected type (chat events CreateTime, replies
     * LogAppendTime) or that could not be read: both must be 0 for the pipeline figures to mean anything.
     */
    public long unusable() {
        return wrongTimestampType.get() + unreadable.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
