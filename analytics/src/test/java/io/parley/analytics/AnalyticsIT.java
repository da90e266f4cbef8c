package io.parley.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.analytics.config.AnalyticsConfig;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.analytics.BotStats;
import io.parley.serde.AvroSerde;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analytics application on a real broker: the recorded audit stream in, statistics on a compacted topic and /metrics out. */
class AnalyticsIT {

    private static EmbeddedKafkaCluster kafka;

    @TempDir
    Path state;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(2, "chat.audit");
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void recordedAuditStreamEndsUpOnACompactedTopicAndInTheMetrics() throws Exception {
        String registry = "mock://analytics-it-" + UUID.randomUUID();
        AnalyticsConfig config = AnalyticsConfig.builder()
                .kafka("bootstrap.servers", kafka.bootstrapServers())
                .kafka("state.dir", state.toString())
                .kafka("application.id", "analytics-it")
                .schemaRegistry("schema.registry.url", registry)
                .emitInterval(Duration.ofMillis(500))
                .admin("127.0.0.1", 0)
                .build();
        // Given the recorded stream on the audit topic
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                AvroSerde.of(AuditEvent.class, Map.of("schema.registry.url", registry), false).serializer())) {
            for (AuditEvent event : RecordedAudit.read(RecordedAudit.DEMO_SHOP)) {
                producer.send(new ProducerRecord<>("chat.audit", null, event.getOccurredAt().toEpochMilli(), event.getConversationId(), event));
            }
        }

        // When the analytics run
        try (AnalyticsApp app = AnalyticsApp.start(config)) {
            // Then the hour of bot parley is on the stats topic, which was created compacted
            Map<String, BotStats> published = new HashMap<>();
            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, BotStats> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                    AvroSerde.of(BotStats.class, Map.of("schema.registry.url", registry), false).deserializer())) {
                consumer.subscribe(List.of("analytics.bot-stats"));
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> published.put(record.key(), record.value()));
                    assertThat(published.get("parley/hour/2026-12-04T03:00:00Z")).isNotNull()
                            .satisfies(stats -> assertThat(stats.getConversations()).isEqualTo(4));
                });
            }
            try (Admin admin = kafka.admin()) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "analytics.bot-stats");
                Config topicConfig = admin.describeConfigs(List.of(topic)).all().get().get(topic);
                assertThat(topicConfig.get("cleanup.policy").value()).isEqualTo("compact");
            }
            // And the current buckets are gauges on /metrics
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("parley_analytics_conversations{bot=\"parley\",period=\"hour\"} 4.0",
                    "parley_analytics_containment_ratio{bot=\"parley\",period=\"day\"} 0.75");
        }
    }

    @Test
    void aStatsTopicThatDeletesOldRecordsStopsTheStart() throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("stats.deleting", 1, (short) 1))).all().get();
        }
        AnalyticsConfig config = AnalyticsConfig.builder()
                .kafka("bootstrap.servers", kafka.bootstrapServers())
                .schemaRegistry("schema.registry.url", "mock://unused")
                .statsTopic("stats.deleting")
                .admin("127.0.0.1", 0)
                .build();

        assertThatThrownBy(() -> AnalyticsApp.start(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.stats: the topic stats.deleting has cleanup.policy=delete; it must be compacted");
    }
}
