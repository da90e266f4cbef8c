package io.parley.bench.scenario;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every chat message at once with one reply, with no processor and no worker: a plain
 * consumer and producer on the bench's broker. Behind the gateway it leaves a pipeline that never
 * queues, so what the clients measure beyond it is the gateway's (and the broker's hand-over) alone,
 * at rates that Parley's pipeline on the same two cores could not sustain next to the gateway.
 */
final class EchoResponder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EchoResponder.class);
    private final KafkaConsumer<String, ChatEvent> consumer;
    private final KafkaProducer<String, ChatReply> producer;
    private final Topic<String, ChatReply> replies;
    private final Thread thread;
    private final AtomicLong answered = new AtomicLong();
    private volatile boolean running = true;

    private EchoResponder(Map<String, Object> clientConfig, Topic<String, ChatEvent> events, Topic<String, ChatReply> replies) {
        this.replies = replies;
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-echo-" + UUID.randomUUID());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        this.consumer = new KafkaConsumer<>(consumerConfig, events.keySerde().deserializer(), events.valueSerde().deserializer());
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        // As the processor's producer at at_least_once: no batching delay of its own.
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(producerConfig, replies.keySerde().serializer(), replies.valueSerde().serializer());
        consumer.subscribe(List.of(events.name()));
        this.thread = new Thread(this::run, "bench-echo");
        this.thread.setDaemon(true);
    }

    static EchoResponder start(Map<String, Object> clientConfig, Topic<String, ChatEvent> events, Topic<String, ChatReply> replies) {
        EchoResponder responder = new EchoResponder(clientConfig, events, replies);
        responder.thread.start();
        return responder;
    }

    /** Messages answered so far. */
    long answered() {
        return answered.get();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, ChatEvent> record : consumer.poll(Duration.ofMillis(100))) {
                    ChatEvent event = record.value();
                    if (event != null && event.getType() == ChatEventType.MESSAGE) {
                        producer.send(new ProducerRecord<>(replies.name(), record.key(), answer(event)));
                        answered.incrementAndGet();
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("echo responder woken up while running");
            }
        } catch (RuntimeException e) {
            LOG.error("echo responder stopped: {}", e.toString(), e);
        }
    }

    static ChatReply answer(ChatEvent event) {
        return ChatReply.newBuilder()
                .setReplyId("echo-" + event.getEventId())
                .setConversationId(event.getConversationId())
                .setUserId(event.getUserId())
                .setChannel(event.getChannel())
                .setInReplyTo(event.getEventId())
                .setKind(ReplyKind.ANSWER)
                .setText("echo")
                .setQuickReplies(List.of())
                .setData(Map.of())
                .setCreatedAt(Instant.now())
                .build();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
        producer.close(Duration.ofSeconds(5));
    }
}
