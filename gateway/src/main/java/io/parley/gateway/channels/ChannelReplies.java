package io.parley.gateway.channels;

import io.parley.gateway.kafka.CommittedReads;
import io.parley.gateway.kafka.PartitionTail;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one generic channel's reply topic and hands each reply of this channel to {@code handler}.
 *
 * <p>Two ways, by what the channel does with replies:
 * <ul>
 *   <li>callback: in the consumer group {@code parley-gateway-channel-<name>}, so that among several
 *   gateway instances exactly one POSTs each reply; offsets are committed after the handler has
 *   delivered the batch (or dead-lettered what it could not), so a crash redelivers, never loses;</li>
 *   <li>long-poll: every partition, no group, from {@code keepReplies} ago ({@link PartitionTail}), like the web chat, so a
 *   long-poll reaching any instance finds the replies.</li>
 * </ul>
 * A record that cannot be read is skipped, logged at WARN with topic, partition and offset, counted,
 * and dead-lettered.
 */
public final class ChannelReplies implements AutoCloseable {

    /** What is done with each reply; may block (callback retries) within the poll interval. */
    @FunctionalInterface
    public interface Handler {
        void handle(ChatReply reply, ConsumerRecord<byte[], byte[]> record) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChannelReplies.class);

    private final String name;
    private final boolean grouped;
    private final Topic<String, ChatReply> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Handler handler;
    private final DeadLetters deadLetters;
    private final ChannelMetrics metrics;
    private final PartitionTail tail;
    private final Thread thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running = true;

    /**
     * @param grouped true: one member of the channel's consumer group handles each reply (outbound calls);
     *     false: every instance reads every reply, from {@code keepReplies} ago (long-poll)
     */
    public ChannelReplies(String name, boolean grouped, Duration keepReplies, Topic<String, ChatReply> topic,
                          Map<String, Object> kafkaConfig, Handler handler, DeadLetters deadLetters,
                          ChannelMetrics metrics, Clock clock) {
        this.name = name;
        this.grouped = grouped;
        this.topic = topic;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        Map<String, Object> config = CommittedReads.consumerConfig(kafkaConfig, "parley-gateway-channel-" + name);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-gateway-channel-" + name);
        if (grouped) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "parley-gateway-channel-" + name);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // One reply at a time may take the whole retry budget; keep batches small and the poll interval long.
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
            config.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 900_000);
        } else {
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        }
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.tail = grouped ? null : new PartitionTail(consumer, topic.name(), keepReplies, clock);
        this.thread = new Thread(this::run, "gateway-channel-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts reading; returns once the topic's partitions are assigned (long-poll) or subscribed (callback). */
    public void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("reply topic " + topic.name() + " of channel " + name
                    + " not readable within " + timeout + "; does it exist? (the gateway does not create topics)");
        }
    }

    public boolean isRunning() {
        return running && thread.isAlive();
    }

    private void run() {
        try {
            if (grouped) {
                consumer.subscribe(List.of(topic.name()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                        ready.countDown();
                    }
                });
            } else if (tail.awaitAssigned(Duration.ofSeconds(30), () -> running)) {
                ready.countDown();
            }
            while (running) {
                if (tail != null) {
                    tail.refreshIfDue();
                }
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    ChatReply reply = decode(record);
                    if (reply == null) {
                        continue;
                    }
                    if (!reply.getConversationId().startsWith(name + ":")) {
                        // Another channel's reply on a shared topic: not ours to deliver.
                        continue;
                    }
                    handler.handle(reply, record);
                }
                if (grouped && !records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("channel {} stopped reading {}: {}", name, topic.name(), e.toString());
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private ChatReply decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            ChatReply reply = topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
            if (reply != null) {
                return reply;
            }
        } catch (RuntimeException e) {
            // Falls through: skipped below.
        }
        LOG.warn("channel {} skipped an unreadable reply at {}-{} offset {}", name, record.topic(),
                record.partition(), record.offset());
        metrics.delivery(name, "unreadable");
        deadLetters.send(name, record, "unreadable reply record");
        return null;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        // Ends a callback's backoff wait: the uncommitted reply is delivered again by the group's next member.
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
