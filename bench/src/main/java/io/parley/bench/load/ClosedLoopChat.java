package io.parley.bench.load;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations chatting as users do: each sends a message, waits for its answer (or fallback),
 * thinks, and sends the next. Unlike an open-loop load, an outage shows as silence: nobody sends
 * more while waiting. Every final reply is kept as a {@link Reply} for the failover figures.
 */
public final class ClosedLoopChat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClosedLoopChat.class);
    private static final Duration POLL = Duration.ofMillis(50);

    /** A final reply: when its turn was sent and when the reply was read, in {@link NanoTimer} time. */
    public record Reply(int conversation, long sentAt, long receivedAt, ReplyKind kind) {

        public long waitNanos() {
            return receivedAt - sentAt;
        }
    }

    private final Workload workload;
    private final Duration thinkTime;
    private final NanoTimer timer;
    private final Clock clock;
    private final KafkaProducer<String, ChatEvent> producer;
    private final KafkaConsumer<String, ChatReply> consumer;
    private final Topic<String, ChatEvent> events;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-closed-loop-sender");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread reader;
    private final long[] sentAt;
    private final int[] turn;
    private final boolean[] awaiting;
    private final List<Reply> replies = new ArrayList<>();
    private volatile boolean running = true;

    public ClosedLoopChat(Map<String, Object> clientConfig, Topic<String, ChatEvent> events, Topic<String, ChatReply> replyTopic,
                          Workload workload, Duration thinkTime, NanoTimer timer, Clock clock) {
        this.workload = workload;
        this.thinkTime = thinkTime;
        this.timer = timer;
        this.clock = clock;
        this.events = events;
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-closed-loop");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), events.valueSerde().serializer());
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-closed-loop-replies");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), replyTopic.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(replyTopic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.sentAt = new long[workload.conversations()];
        this.turn = new int[workload.conversations()];
        this.awaiting = new boolean[workload.conversations()];
        this.reader = new Thread(this::readReplies, "bench-closed-loop-replies");
        this.reader.setDaemon(true);
    }

    /** Starts every conversation, spread over one think time so they do not all speak at once. */
    public void start() {
        reader.start();
        long spread = thinkTime.toNanos() / workload.conversations();
        for (int c = 0; c < workload.conversations(); c++) {
            int conversation = c;
            sender.schedule(() -> send(conversation), spread * c, TimeUnit.NANOSECONDS);
        }
    }

    private void send(int conversation) {
        if (!running) {
            return;
        }
        String eventId;
        synchronized (this) {
            turn[conversation]++;
            awaiting[conversation] = true;
            sentAt[conversation] = timer.nanoTime();
            eventId = "cl-" + conversation + "-" + turn[conversation];
        }
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId(eventId)
                .setConversationId(workload.conversationId(conversation))
                .setUserId(workload.userId(conversation))
                .setChannel(workload.channel())
                .setType(ChatEventType.MESSAGE)
                .setText(workload.text())
                .setPayload(Map.of())
                .setLocale("en-GB")
                .setOccurredAt(clock.instant())
                .build();
        producer.send(new ProducerRecord<>(events.name(), workload.conversationId(conversation), event));
    }

    private void readReplies() {
        try {
            while (running) {
                for (ConsumerRecord<String, ChatReply> record : consumer.poll(POLL)) {
                    book(record.value(), timer.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("Reading replies failed; the closed loop stops", e);
            }
        } finally {
            consumer.close();
        }
    }

    private void book(ChatReply reply, long receivedAt) {
        if (reply.getInReplyTo() == null || reply.getKind() == ReplyKind.INTERIM) {
            return;
        }
        String[] parts = reply.getInReplyTo().split("-");
        if (parts.length != 3 || !"cl".equals(parts[0])) {
            return;
        }
        int conversation = Integer.parseInt(parts[1]);
        int answered = Integer.parseInt(parts[2]);
        synchronized (this) {
            if (conversation >= turn.length || answered != turn[conversation] || !awaiting[conversation]) {
                return; // a duplicate, or a late reply to an earlier turn
            }
            awaiting[conversation] = false;
            replies.add(new Reply(conversation, sentAt[conversation], receivedAt, reply.getKind()));
        }
        sender.schedule(() -> send(conversation), thinkTime.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The final replies so far, in the order read. */
    public synchronized List<Reply> replies() {
        return List.copyOf(replies);
    }

    /** The turns sent and not answered yet (at most one per conversation). */
    public synchronized int inFlight() {
        int waiting = 0;
        for (boolean a : awaiting) {
            waiting += a ? 1 : 0;
        }
        return waiting;
    }

    public int conversations() {
        return workload.conversations();
    }

    @Override
    public void close() {
        running = false;
        sender.shutdownNow();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
