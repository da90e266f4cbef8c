package io.parley.local.chat;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A test double of the processor, so the console chat can be tested on its own: it reads chat
 * events and notifications from a real broker and answers on a reply topic.
 * <ul>
 *   <li>SESSION_START: {@code Hi <user>!}</li>
 *   <li>{@code slow ...}: an interim reply at once, the answer half a second later</li>
 *   <li>{@code silent}: nothing</li>
 *   <li>{@code choose}: a prompt with quick replies</li>
 *   <li>any other message: {@code You said: <text>}</li>
 *   <li>ERASE: nothing</li>
 *   <li>a notification: delivered to the user's latest conversation</li>
 * </ul>
 */
final class TestResponder implements AutoCloseable {

    private final Topics topics;
    private final String replyTopic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, ChatReply> producer;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, ChatEvent> latestEventByUser = new ConcurrentHashMap<>();
    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    private final List<Notification> notifications = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    TestResponder(String bootstrapServers, Topics topics, String replyTopic) {
        this.topics = topics;
        this.replyTopic = replyTopic;
        this.consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-responder-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), topics.defaultReplies().valueSerde().serializer());
        consumer.subscribe(List.of(topics.chatEvents().name(), topics.notifications().name()));
        this.thread = new Thread(this::run, "test-responder");
        thread.start();
    }

    /** The chat events received so far, in order. */
    List<ChatEvent> events() {
        return events;
    }

    /** The notifications received so far, with the key they came with checked to be the user id. */
    List<Notification> notifications() {
        return notifications;
    }

    /** Sends a reply as the processor would, on the given topic. */
    void reply(String topic, String conversationId, String userId, String inReplyTo, ReplyKind kind, String text) {
        producer.send(new ProducerRecord<>(topic, conversationId, ChatReply.newBuilder()
                .setReplyId(UUID.randomUUID().toString())
                .setConversationId(conversationId)
                .setUserId(userId)
                .setChannel("console")
                .setInReplyTo(inReplyTo)
                .setKind(kind)
                .setText(text)
                .setQuickReplies(kind == ReplyKind.PROMPT ? List.of("Tea", "Coffee") : List.of())
                .setData(Map.of())
                .setCreatedAt(Instant.now())
                .build()));
        producer.flush();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.topic().equals(topics.chatEvents().name())) {
                        answer(record.key(), topics.chatEvents().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    } else {
                        deliver(record.key(), topics.notifications().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void answer(String key, ChatEvent event) {
        if (!key.equals(event.getConversationId())) {
            throw new IllegalStateException("A chat event keyed " + key + " belongs to conversation " + event.getConversationId());
        }
        events.add(event);
        latestEventByUser.put(event.getUserId(), event);
        String text = event.getText() == null ? "" : event.getText();
        if (event.getType() == ChatEventType.SESSION_START) {
            replyTo(event, ReplyKind.ANSWER, "Hi " + event.getUserId() + "!");
        } else if (event.getType() != ChatEventType.MESSAGE || text.equals("silent")) {
            return;
        } else if (text.startsWith("slow")) {
            replyTo(event, ReplyKind.INTERIM, "Still working on it...");
            later.schedule(() -> replyTo(event, ReplyKind.ANSWER, "Done: " + text), 500, TimeUnit.MILLISECONDS);
        } else if (text.equals("choose")) {
            replyTo(event, ReplyKind.PROMPT, "Tea or coffee?");
        } else {
            replyTo(event, ReplyKind.ANSWER, "You said: " + text);
        }
    }

    private void deliver(String key, Notification notification) {
        if (!key.equals(notification.getUserId())) {
            throw new IllegalStateException("A notification keyed " + key + " is for user " + notification.getUserId());
        }
        notifications.add(notification);
        ChatEvent latest = latestEventByUser.get(notification.getUserId());
        if (latest != null) {
            reply(replyTopic, latest.getConversationId(), latest.getUserId(), null, ReplyKind.NOTIFICATION,
                    notification.getText());
        }
    }

    private void replyTo(ChatEvent event, ReplyKind kind, String text) {
        reply(replyTopic, event.getConversationId(), event.getUserId(), event.getEventId(), kind, text);
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
        later.shutdownNow();
        producer.close();
    }
}
