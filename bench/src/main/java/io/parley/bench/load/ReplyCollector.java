package io.parley.bench.load;

import io.parley.schemas.ChatReply;
import io.parley.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the reply topic on its own thread and books each reply in the phase's ledger at the
 * moment it is consumed. Reads committed records only: under exactly-once a reply a user could
 * see is a committed one, so latency includes the commit.
 *
 * <p>Starts at the current end of the topic: replies of earlier phases are not this phase's.
 */
final class ReplyCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyCollector.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, ChatReply> consumer;
    private final TurnIds ids;
    private final TurnLedger ledger;
    private final ExpectedReply expected;
    private final NanoTimer timer;
    private final Thread thread;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean running = true;

    ReplyCollector(Map<String, Object> clientConfig, Topic<String, ChatReply> replies, TurnIds ids, TurnLedger ledger,
                   ExpectedReply expected, NanoTimer timer) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-replies-" + ids.phase());
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), replies.valueSerde().deserializer());
        this.ids = ids;
        this.ledger = ledger;
        this.expected = expected;
        this.timer = timer;
        List<TopicPartition> partitions = consumer.partitionsFor(replies.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, before the first event is sent, not lazily at the first poll.
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::pollUntilClosed, "bench-replies-" + ids.phase());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void pollUntilClosed() {
        try {
            while (running) {
                for (ConsumerRecord<String, ChatReply> record : consumer.poll(POLL)) {
                    long consumedAt = timer.nanoTime();
                    book(record.value(), consumedAt);
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up; nothing more to read.
        } catch (RuntimeException e) {
            LOG.error("The reply collector of phase {} stopped: {}", ids.phase(), e.toString());
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    private void book(ChatReply reply, long consumedAt) {
        long seq = ids.sequenceOf(reply.getInReplyTo());
        if (seq == TurnIds.FOREIGN) {
            ledger.replied(TurnIds.FOREIGN, reply.getKind().name(), false, consumedAt);
            return;
        }
        if (expected.isProgressOnly(reply.getKind())) {
            // "Still working on it" is not an answer: the turn goes on until its answer or fallback.
            ledger.progressed(seq, reply.getKind().name());
            return;
        }
        boolean answered = expected.matches(reply);
        ledger.replied(seq, answered ? reply.getKind().name() : expected.label(reply), answered, consumedAt);
    }

    /** The error that stopped the collector, if one did. */
    RuntimeException failure() {
        return failure.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
