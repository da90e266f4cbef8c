package io.parley.gateway.kafka;

import io.parley.gateway.chat.ReplyRouter;
import io.parley.gateway.ops.GatewayMetrics;
import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of this channel's reply topic, with no consumer group (no commits, no
 * rebalances): every gateway instance sees every reply and delivers those whose conversation it
 * holds. On start it seeks back {@code replayWindow}, so the reconnect buffer is warm on every
 * instance. New partitions are picked up every {@link PartitionTail#REFRESH} ({@link PartitionTail}).
 *
 * <p>This trades reading the whole reply stream on each instance for needing no routing table;
 * reply traffic is small (text) and a gateway drops what it does not hold at the cost of a map
 * lookup, which stays cheap into the tens of thousands of replies a second.
 */
public final class ReplyListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);
    private final Topic<String, ChatReply> topic;
    private final ReplyRouter router;
    private final GatewayMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PartitionTail tail;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean running = true;

    public ReplyListener(Topic<String, ChatReply> topic, Map<String, Object> kafkaConfig, ReplyRouter router,
                         Duration replayWindow, Clock clock, GatewayMetrics metrics) {
        this.topic = topic;
        this.metrics = metrics;
        this.router = router;
        Map<String, Object> config = CommittedReads.consumerConfig(kafkaConfig, "parley-gateway-replies");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Values are decoded here, record by record, so one bad record is skipped and named, not fatal.
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.tail = new PartitionTail(consumer, topic.name(), replayWindow, clock);
        this.thread = new Thread(this::run, "gateway-replies-" + topic.name());
        this.thread.setDaemon(true);
    }

    /** Starts reading; returns once every partition known now is assigned and positioned. */
    public void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("reply topic " + topic.name() + " not readable within " + timeout
                    + "; does it exist? (the gateway does not create topics)");
        }
    }

    /** Records of the reply topic that could not be read and were skipped. */
    public long skipped() {
        return skipped.get();
    }

    /** Whether the listener reads its topic (false once it gave up, or was closed). */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        try {
            while (running) {
                try {
                    if (tail.refreshIfDue()) {
                        assigned.countDown();
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        handle(record);
                    }
                    backoff = FIRST_BACKOFF;
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // A broker or topic problem must not end reply delivery for good: wait, then read on.
                    LOG.warn("reading {} failed ({}); trying again in {} ms", topic.name(), e.toString(), backoff.toMillis());
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("reply listener of {} woken up while running; replies are no longer delivered", topic.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("reply listener of {} stopped: {}", topic.name(), e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        ChatReply reply;
        try {
            reply = topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            reply = null;
        }
        if (reply == null) {
            skipped.incrementAndGet();
            LOG.warn("skipped an unreadable reply at {}-{} offset {}", record.topic(), record.partition(), record.offset());
            return;
        }
        metrics.replyRead();
        router.deliver(reply);
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
