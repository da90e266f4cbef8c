package io.parley.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger of last inbound messages is derived from chat.events: a gateway started after the messages (a
 * restart, or another instance) knows them, within its lookback, and learns new ones as they are produced.
 */
class InboundLedgerIT {

    private static final String REGISTRY = "mock://inbound-ledger-it";
    private static EmbeddedKafkaCluster kafka;
    private static Topics topics;
    private static KafkaProducer<String, ChatEvent> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(2, "chat.events");
        topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", REGISTRY));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void produce(String channel, String conversation, String eventId, Instant at) throws Exception {
        ChatEvent event = ChatEvent.newBuilder().setEventId(eventId).setConversationId(conversation).setUserId("u")
                .setChannel(channel).setType(ChatEventType.MESSAGE).setText("hi")
                .setPayload(Map.of("serviceUrl", "https://smba.example/emea/")).setLocale(null).setOccurredAt(at).build();
        producer.send(new ProducerRecord<>("chat.events", null, at.toEpochMilli(), conversation, event))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void messagesBeforeTheStartAreReadBackWithinTheLookbackAndNewOnesLearnt() throws Exception {
        // Given, before the gateway starts: a recent WhatsApp message, one 30 hours old, and another channel's
        Instant now = Instant.now();
        produce("wa", "wa:111111", "wa:m-recent", now.minus(Duration.ofHours(2)));
        produce("wa", "wa:222222", "wa:m-old", now.minus(Duration.ofHours(30)));
        produce("web", "web:c-1", "web:e-1", now.minus(Duration.ofMinutes(1)));
        // When a ledger of the wa channel starts with a 24-hour lookback (a restarted gateway)
        try (InboundLedger ledger = new InboundLedger(Set.of("wa"), Duration.ofHours(24), topics.chatEvents(),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Clock.systemUTC())) {
            ledger.start(Duration.ofSeconds(30));
            // Then it knows the recent message (waiting for it to be read), not the old one nor the other channel's
            InboundLedger.Entry recent = ledger.lookup("wa:111111", "wa:m-recent", e -> false, Duration.ofSeconds(20));
            assertThat(recent).isNotNull();
            assertThat(recent.lastInbound()).isEqualTo(now.minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(recent.payload()).containsEntry("serviceUrl", "https://smba.example/emea/");
            assertThat(ledger.lookup("wa:222222", null, e -> false, Duration.ZERO)).isNull();
            assertThat(ledger.lookup("web:c-1", null, e -> false, Duration.ZERO)).isNull();
            // and a message produced later (received by another instance) is learnt
            produce("wa", "wa:222222", "wa:m-new", Instant.now());
            InboundLedger.Entry learnt = ledger.lookup("wa:222222", "wa:m-new", e -> false, Duration.ofSeconds(20));
            assertThat(learnt).isNotNull();
            assertThat(learnt.eventId()).isEqualTo("wa:m-new");
            assertThat(ledger.isRunning()).isTrue();
        }
    }
}
