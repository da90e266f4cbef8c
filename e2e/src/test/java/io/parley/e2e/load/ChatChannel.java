package io.parley.e2e.load;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.topics.Topic;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A chat channel: turns what users type into {@link ChatEvent}s on the chat events topic, keyed by conversation. */
public final class ChatChannel implements AutoCloseable {

    public static final String CHANNEL = "web";

    private static final Logger LOG = LoggerFactory.getLogger(ChatChannel.class);

    private final KafkaProducer<String, ChatEvent> producer;
    private final String topic;
    private final Clock clock;
    /** What was first sent for each event, to deliver it again as it was. */
    private final Map<String, ProducerRecord<String, ChatEvent>> firstSent = new ConcurrentHashMap<>();

    public ChatChannel(String bootstrapServers, Topic<String, ChatEvent> chatEvents, Clock clock) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                chatEvents.keySerde().serializer(), chatEvents.valueSerde().serializer());
        this.topic = chatEvents.name();
        this.clock = clock;
    }

    /** Sends what the user typed; {@code copies} > 1 plays a channel that delivers it again. */
    void send(PlannedConversation conversation, PlannedEvent event, int copies) {
        ChatEvent chatEvent = ChatEvent.newBuilder()
                .setEventId(event.eventId())
                .setConversationId(conversation.id())
                .setUserId(conversation.userId())
                .setChannel(CHANNEL)
                .setType(ChatEventType.MESSAGE)
                .setText(event.text())
                .setPayload(Map.of())
                .setLocale("en-GB")
                .setOccurredAt(clock.instant())
                .build();
        // The record's timestamp is the event's time, so a later redelivery carries it too.
        ProducerRecord<String, ChatEvent> record = new ProducerRecord<>(topic, null, chatEvent.getOccurredAt().toEpochMilli(),
                conversation.id(), chatEvent);
        firstSent.putIfAbsent(event.eventId(), record);
        for (int i = 0; i < copies; i++) {
            send(record);
        }
    }

    /**
     * Delivers a message sent before once more, exactly as it was (same event id, payload and
     * timestamp), as an at-least-once channel retrying late does: behind newer messages of its
     * conversation, with a timestamp older than theirs.
     */
    void redeliver(PlannedEvent event) {
        ProducerRecord<String, ChatEvent> record = firstSent.get(event.eventId());
        if (record == null) {
            throw new IllegalStateException(event.eventId() + " was never sent, so it cannot be delivered again");
        }
        send(record);
    }

    private void send(ProducerRecord<String, ChatEvent> record) {
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                // The idempotent producer has retried already; the verdict will report the event as missing.
                LOG.warn("Could not send {}: {}", record.value().getEventId(), failure.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
