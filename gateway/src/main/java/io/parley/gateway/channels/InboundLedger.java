package io.parley.gateway.channels;

import io.parley.gateway.kafka.PartitionTail;
import io.parley.schemas.ChatEvent;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the platform adapters must know of a conversation's inbound side to answer in it, derived from
 * {@code chat.events} rather than kept in a store: the time of the user's last message (WhatsApp's 24-hour
 * customer-service window) and what the platform gave with it ({@code serviceUrl} of a Teams activity, in the
 * chat event's payload).
 *
 * <p>Every gateway instance reads every partition of {@code chat.events}, without a consumer group, from
 * {@code lookback} ago ({@link PartitionTail}), keeping the newest entry of each conversation of the given channels. So the state
 * survives a restart (it is read back), and the instance that delivers a reply knows about a message another
 * instance received. Entries older than {@code lookback} are dropped; at most {@code capacity} conversations
 * are held (the least recently written dropped first). An unreadable record is skipped (the processor
 * dead-letters it; it is not this reader's to judge).
 */
public final class InboundLedger implements AutoCloseable {

    /** The last inbound message of a conversation: when the user sent it, its event id, the payload it carried. */
    public record Entry(Instant lastInbound, String eventId, Map<String, String> payload) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(InboundLedger.class);
    private static final int CAPACITY = 500_000;

    private final Set<String> channels;
    private final Duration lookback;
    private final Topic<String, ChatEvent> topic;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, false);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running = true;

    public InboundLedger(Set<String> channels, Duration lookback, Topic<String, ChatEvent> topic,
                         Map<String, Object> kafkaConfig, Clock clock) {
        this.channels = Set.copyOf(channels);
        this.lookback = lookback;
        this.topic = topic;
        this.clock = clock;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "parley-gateway-inbound-ledger");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gateway-inbound-ledger");
        this.thread.setDaemon(true);
    }

    /** An in-memory ledger fed by {@link #record} only (tests of the senders). */
    public static InboundLedger inMemory(Duration lookback, Clock clock) {
        return new InboundLedger(lookback, clock);
    }

    private InboundLedger(Duration lookback, Clock clock) {
        this.channels = Set.of();
        this.lookback = lookback;
        this.topic = null;
        this.clock = clock;
        this.consumer = null;
        this.thread = null;
    }

    /** Starts reading; returns once positioned at {@code lookback} ago on every partition. */
    public void start(Duration timeout) throws InterruptedException {
        thread.start();
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("topic " + topic.name() + " not readable within " + timeout
                    + "; does it exist? (the gateway does not create topics)");
        }
    }

    public boolean isRunning() {
        return thread == null || (running && thread.isAlive());
    }

    /** Notes an inbound message (also called by the adapter that received it, so this instance knows at once). */
    public synchronized void record(ChatEvent event) {
        Instant at = event.getOccurredAt();
        Entry old = entries.get(event.getConversationId());
        if (old != null && old.lastInbound().isAfter(at)) {
            return;
        }
        entries.remove(event.getConversationId());
        entries.put(event.getConversationId(), new Entry(at, event.getEventId(), Map.copyOf(event.getPayload())));
        Instant horizon = clock.instant().minus(lookback);
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry oldest = it.next();
            if (entries.size() <= CAPACITY && oldest.lastInbound().isAfter(horizon)) {
                break;
            }
            it.remove();
        }
        notifyAll();
    }

    /**
     * The conversation's last inbound message. When what is known is not {@code enough} and {@code awaited} (the
     * event a reply answers) is not yet the one known, waits up to {@code wait} for it: the reply may be read
     * before its event reached this reader.
     */
    public synchronized Entry lookup(String conversationId, String awaited, java.util.function.Predicate<Entry> enough,
                                     Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Entry entry = entries.get(conversationId);
            boolean known = awaited == null || (entry != null && (entry.eventId().equals(awaited) || enough.test(entry)));
            long left = deadline - System.nanoTime();
            if (known || left <= 0 || !isRunning()) {
                return entry;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private void run() {
        try {
            PartitionTail tail = new PartitionTail(consumer, topic.name(), lookback, clock);
            if (!tail.awaitAssigned(Duration.ofSeconds(30), () -> running)) {
                return;
            }
            ready.countDown();
            while (running) {
                tail.refreshIfDue();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ChatEvent event = decode(record);
                    if (event != null && channels.contains(event.getChannel())) {
                        record(event);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop.
        } catch (RuntimeException e) {
            LOG.warn("the inbound ledger stopped reading {}: {}", topic.name(), e.toString());
        } finally {
            running = false;
            synchronized (this) {
                notifyAll();
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private ChatEvent decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
