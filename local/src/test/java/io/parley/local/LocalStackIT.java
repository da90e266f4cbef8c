package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.serde.AvroSerde;
import io.parley.processor.flow.FlowSource;
import io.parley.topics.TopicNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode's stack on a real broker: topics, registry and demo shop up, data kept between runs. */
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void theStackServesTopicsRegistryAndShopAndKeepsSchemasAcrossRestarts() throws Exception {
        Path data = temp.resolve(".parley");
        ChatEvent event = ChatEvent.newBuilder().setEventId("e-1").setConversationId("c-1").setUserId("alice")
                .setChannel("console").setType(ChatEventType.SESSION_START).setOccurredAt(Instant.parse("2026-11-24T10:00:00Z"))
                .build();
        byte[] written;

        try (LocalStack stack = LocalStack.start(settings(data, false))) {
            Map<String, TopicDescription> topics = describeAll(stack);
            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(stack.topics().partitionsByTopic().keySet())
                    .contains("chat.events", "backend.responses", "chat.replies", "chat.replies.console");
            // every topic with the settings' two partitions, but the published flow sets (one, to keep versions in order)
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions())
                    .hasSize(topic.name().equals("parley.flows") ? 1 : 2));
            // The group setting reaches the broker's metadata shortly after the controller accepted it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shareGroupOffsetReset(stack)).isEqualTo("earliest"));
            assertThat(get(stack.shopApi().baseUrl() + "/orders/1001?customerId=alice").statusCode()).isEqualTo(200);
            try (AvroSerde<ChatEvent> serde = AvroSerde.of(ChatEvent.class, stack.serdeConfig(), false)) {
                written = serde.serializer().serialize("chat.events", event);
            }
        }

        try (LocalStack again = LocalStack.start(settings(data, false))) {
            try (AvroSerde<ChatEvent> serde = AvroSerde.of(ChatEvent.class, again.serdeConfig(), false)) {
                assertThat(serde.deserializer().deserialize("chat.events", written)).isEqualTo(event);
            }
            assertThat(get(again.registryUrl() + "/subjects").body()).contains("chat.events-value");
        }

        try (LocalStack fresh = LocalStack.start(settings(data, true))) {
            assertThat(get(fresh.registryUrl() + "/subjects").body()).isEqualTo("[]");
        }
    }

    @Test
    void topicsKeptWithDifferentPartitionCountsAreRefusedWithAClearMessage() throws Exception {
        try (LocalStack stack = LocalStack.start(settings(temp.resolve(".parley"), false))) {
            try (Admin admin = stack.kafka().admin()) {
                admin.deleteTopics(Set.of("backend.responses")).all().get();
            }
            // The broker deletes asynchronously: recreate once the name is free again, and wait
            // until the broker's metadata shows the new topic.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Admin admin = stack.kafka().admin()) {
                    admin.createTopics(List.of(new NewTopic("backend.responses", 1, (short) 1))).all().get();
                    return true;
                }
            });
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> partitionsOf(stack, "backend.responses") == 1);

            assertThatThrownBy(() -> stack.topics().createOn(stack.kafka()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("chat.events has 2 partitions but backend.responses has 1")
                    .hasMessageContaining("--fresh");
        }
    }

    @Test
    void withoutRedisServerThePreferenceIntentsAreNotOfferedAndTheBannerSaysWhy() throws Exception {
        // Given a machine without redis-server
        Path missing = temp.resolve("no-such-bin/redis-server");

        // When local mode's stack starts
        try (LocalStack stack = LocalStack.start(settings(temp.resolve(".parley-no-redis"), false).withRedisServer(missing))) {

            // Then it runs without the preferences: no flow, no connector, and the banner line names the reason
            assertThat(stack.preferences().offered()).isFalse();
            assertThat(stack.preferences().status()).isEqualTo("not offered: " + missing
                    + " is not installed (Debian: apt-get install redis-server)");
            assertThat(LocalProcessorConfig.flows(stack)).extracting(FlowSource::label).containsExactly("classpath:" + LocalProcessorConfig.DEMO_FLOWS,
                    "classpath:" + io.parley.demo.DemoStock.FLOWS, "classpath:" + LocalProcessorConfig.DEMO_ALERT_FLOWS);
            assertThat(LocalWorkerConfig.of(stack, 0).connectorSources()).hasSize(1);
        }
    }

    private static LocalSettings settings(Path data, boolean fresh) {
        return new LocalSettings(data, fresh, 2, 0, 0, Duration.ZERO, TopicNames.defaults(), "console", "chat.replies.console");
    }

    private static int partitionsOf(LocalStack stack, String topic) throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    private static String shareGroupOffsetReset(LocalStack stack) throws Exception {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, LocalStack.WORKER_GROUP_ID);
        try (Admin admin = stack.kafka().admin()) {
            return admin.describeConfigs(List.of(group)).all().get().get(group).get("share.auto.offset.reset").value();
        }
    }

    private static Map<String, TopicDescription> describeAll(LocalStack stack) throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            return admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
