package io.parley.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.runtime.Secret;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 23's "delivery failures are audited, never lost silently": on a real broker, with WireMock stand-ins of the
 * Telegram Bot API and the WhatsApp Graph API answering errors, a reply the gateway cannot deliver is in the audit
 * topic as {@code UNDELIVERABLE} (the user by the processor's pseudonym under the same key) and in the dead-letter
 * topic for replay; WhatsApp's reply outside the 24-hour window without a template is audited without an attempt.
 */
class DeliveryAuditIT {

    private static final String REGISTRY = "mock://delivery-audit-it";
    private static final String AUDIT_KEY = "audit-pseudonym-key-for-tests";
    private static final String BOT_TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456789";
    private static EmbeddedKafkaCluster kafka;
    private static WireMockServer platforms;
    private static Gateway gateway;
    private static KafkaProducer<String, ChatReply> replies;
    private static Topics topics;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(1, "chat.events", "chat.replies.web", "chat.replies.telegram", "chat.replies.wa", "chat.dlq",
                "chat.audit");
        platforms = new WireMockServer(options().dynamicPort());
        platforms.start();
        // Telegram answers 500 Internal Server Error; the Graph API 401 with its error object.
        platforms.stubFor(post("/bot" + BOT_TOKEN + "/sendMessage").willReturn(aResponse().withStatus(500)
                .withBody("{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}")));
        platforms.stubFor(post(urlPathMatching("/graph/.*")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Invalid OAuth access token.\",\"type\":\"OAuthException\",\"code\":190}}")));
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", """
                http: {host: 127.0.0.1, port: 0}
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "%s"}
                tokens: {audience: parley-web, hs256Secret: "integration-secret-of-at-least-32-bytes"}
                conversationKey: "conversation-key-of-at-least-32-bytes"
                admin: {port: 0}
                audit: {pseudonymizeUsers: true, pseudonymKey: "%s"}
                channels:
                  - name: telegram
                    type: telegram
                    botToken: "%s"
                    secretToken: "telegram-webhook-secret_123"
                    apiBaseUrl: "%s"
                    maxAttempts: 3
                    firstBackoff: 50ms
                  - name: wa
                    type: whatsapp
                    appSecret: "whatsapp-app-secret-for-tests"
                    verifyToken: "whatsapp-verify-token-123"
                    accessToken: "EAAG-whatsapp-access-token-for-tests"
                    phoneNumberId: "106540352242922"
                    graphBaseUrl: "%s/graph"
                """.formatted(kafka.bootstrapServers(), REGISTRY, AUDIT_KEY, BOT_TOKEN, platforms.baseUrl(),
                platforms.baseUrl()));
        gateway = Gateway.start(config, Clock.systemUTC());
        topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", REGISTRY));
        var replyTopic = topics.replies("chat.replies.telegram");
        replies = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                replyTopic.keySerde().serializer(), replyTopic.valueSerde().serializer());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {replies, gateway, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the rest still close
            }
        }
        if (platforms != null) {
            platforms.stop();
        }
    }

    @Test
    void replyFailingEveryRetryIsAuditedUndeliverableUnderThePseudonymAndDeadLettered() throws Exception {
        // Given a reply to a Telegram chat whose Bot API answers 500 every time
        ChatReply reply = reply("telegram:4242", "alice", "r-tg-1", "e-tg-1", "Your card 4111 1111 1111 1111 is blocked");
        // When the gateway delivers it
        send("chat.replies.telegram", reply);
        // Then after the three attempts its UNDELIVERABLE record is in the audit topic
        AuditEvent audit = awaitAudit("undeliverable:r-tg-1");
        platforms.verify(3, postRequestedFor(urlEqualTo("/bot" + BOT_TOKEN + "/sendMessage")));
        assertThat(audit.getKind()).isEqualTo(AuditKind.UNDELIVERABLE);
        assertThat(audit.getConversationId()).isEqualTo("telegram:4242");
        assertThat(audit.getChannel()).isEqualTo("telegram");
        assertThat(audit.getEventId()).isEqualTo("e-tg-1");
        assertThat(audit.getStatus()).isEqualTo("delivery_failed");
        // referring to the user as the processor does under the same key, never in clear
        assertThat(audit.getUserRef()).isEqualTo(UserReferences.pseudonymised(Secret.of(AUDIT_KEY)).of("alice"))
                .isNotEqualTo("alice");
        assertThat(audit.getAttributes()).containsEntry("replyId", "r-tg-1").containsEntry("attempts", "3")
                .containsEntry("replyKind", "ANSWER").containsEntry("reason", "delivery failed after 3 attempts: sendMessage HTTP 500 error_code 500");
        assertThat(audit.getText()).isNull();
        assertThat(audit.toString()).doesNotContain("4111").doesNotContain(BOT_TOKEN);
        // and the reply as read is in the dead-letter topic for replay
        ConsumerRecord<byte[], byte[]> letter = awaitDeadLetter("telegram:4242");
        assertThat(header(letter, "parley.dlq.reason")).isEqualTo("delivery failed after 3 attempts: sendMessage HTTP 500 error_code 500");
        assertThat(topics.replies("chat.replies.telegram").valueSerde().deserializer()
                .deserialize("chat.replies.telegram", letter.value()).getReplyId()).isEqualTo("r-tg-1");
    }

    @Test
    void whatsAppReplyOutsideTheWindowWithoutATemplateIsAuditedWithoutAnAttempt() throws Exception {
        // Given a notification to a WhatsApp user who never wrote (outside the 24-hour window) and no template configured
        ChatReply reply = ChatReply.newBuilder(reply("wa:16505551234", "bob", "r-wa-1", null, "Your parcel arrives today"))
                .setKind(ReplyKind.NOTIFICATION).build();
        // When the gateway handles it
        send("chat.replies.wa", reply);
        // Then it is audited as undeliverable, not attempted, with the reason
        AuditEvent audit = awaitAudit("undeliverable:r-wa-1");
        assertThat(audit.getStatus()).isEqualTo("not_attempted");
        assertThat(audit.getChannel()).isEqualTo("wa");
        assertThat(audit.getUserRef()).isEqualTo(UserReferences.pseudonymised(Secret.of(AUDIT_KEY)).of("bob"));
        assertThat(audit.getAttributes()).containsEntry("attempts", "0").containsEntry("replyKind", "NOTIFICATION");
        assertThat(audit.getAttributes().get("reason")).startsWith("not delivered: outside the 24-hour");
        platforms.verify(0, postRequestedFor(urlPathMatching("/graph/.*")));
        // and dead-lettered with the same reason
        assertThat(header(awaitDeadLetter("wa:16505551234"), "parley.dlq.reason")).startsWith("not delivered: outside");
    }

    private static void send(String topic, ChatReply reply) throws Exception {
        replies.send(new ProducerRecord<>(topic, reply.getConversationId(), reply)).get(10, TimeUnit.SECONDS);
    }

    private static ChatReply reply(String conversation, String user, String replyId, String inReplyTo, String text) {
        return ChatReply.newBuilder().setReplyId(replyId).setConversationId(conversation).setUserId(user)
                .setChannel(conversation.substring(0, conversation.indexOf(':'))).setInReplyTo(inReplyTo)
                .setKind(ReplyKind.ANSWER).setText(text).setQuickReplies(List.of()).setData(Map.of())
                .setCreatedAt(Instant.now()).build();
    }

    private static AuditEvent awaitAudit(String auditId) {
        var audit = topics.audit();
        try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "audit-" + auditId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), audit.keySerde().deserializer(),
                audit.valueSerde().deserializer())) {
            consumer.subscribe(List.of(audit.name()));
            List<ConsumerRecord<String, AuditEvent>> seen = new ArrayList<>();
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(r -> r.value().getAuditId().equals(auditId));
            });
            ConsumerRecord<String, AuditEvent> record = seen.stream()
                    .filter(r -> r.value().getAuditId().equals(auditId)).findFirst().orElseThrow();
            assertThat(record.key()).as("keyed by conversation").isEqualTo(record.value().getConversationId());
            return record.value();
        }
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String key) {
        try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + key, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of("chat.dlq"));
            List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(seen::add);
                return find(seen, key).isPresent();
            });
            return find(seen, key).orElseThrow();
        }
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> find(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(key)).findFirst();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
