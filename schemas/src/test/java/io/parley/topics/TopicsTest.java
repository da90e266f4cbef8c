package io.parley.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void defaultsAreTheArchitecturesTopicNames() {
        assertThat(TopicNames.defaults().asMap()).containsExactly(
                Map.entry("chatEvents", "chat.events"),
                Map.entry("backendRequests", "backend.requests"),
                Map.entry("backendResponses", "backend.responses"),
                Map.entry("notifications", "notifications.requests"),
                Map.entry("audit", "chat.audit"),
                Map.entry("deadLetters", "chat.dlq"),
                Map.entry("defaultReplies", "chat.replies"),
                Map.entry("workerDeadLetters", "backend.requests.dlq"),
                Map.entry("iotTelemetry", "iot.telemetry"),
                Map.entry("iotDevices", "iot.devices"),
                Map.entry("connectorCatalog", "parley.connectors"),
                Map.entry("flows", "parley.flows"),
                Map.entry("iotMutes", "iot.mutes"));
    }

    @Test
    void configurationOverridesSomeNamesAndKeepsTheOthers() {
        TopicNames names = TopicNames.fromMap(Map.of("chatEvents", "acme.chat.events", "audit", "acme.audit"));

        assertThat(names.chatEvents()).isEqualTo("acme.chat.events");
        assertThat(names.audit()).isEqualTo("acme.audit");
        assertThat(names.backendResponses()).isEqualTo("backend.responses");
    }

    @Test
    void anUnknownKeyIsRejectedWithTheKnownKeys() {
        assertThatThrownBy(() -> TopicNames.fromMap(Map.of("chatEvent", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'chatEvent'")
                .hasMessageContaining("chatEvents");
    }

    @Test
    void anInvalidTopicNameIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> TopicNames.fromMap(Map.of("audit", "chat audit")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("audit")
                .hasMessageContaining("chat audit");
    }

    @Test
    void eachTopicCarriesSerdesForItsKeysAndValues() {
        String scope = "topics-" + System.nanoTime();
        try {
            Topics topics = Topics.create(TopicNames.defaults(), Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope));
            var replies = topics.replies("chat.replies.web");
            ChatReply reply = ChatReply.newBuilder().setReplyId("r").setConversationId("c").setUserId("u").setChannel("web")
                    .setKind(ReplyKind.ANSWER).setText("hi").setCreatedAt(Instant.EPOCH).build();

            byte[] bytes = replies.valueSerde().serializer().serialize(replies.name(), reply);

            assertThat(replies.valueSerde().deserializer().deserialize(replies.name(), bytes)).isEqualTo(reply);
            assertThat(topics.chatEvents().name()).isEqualTo("chat.events");
            assertThat(topics.chatEvents().keySerde().serializer().serialize("chat.events", "conv-1"))
                    .isEqualTo("conv-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(InMemorySchemaRegistry.forScope(scope).subjects()).containsExactly("chat.replies.web-value");
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void channelKeysAreCheckedWithTheConfiguredRegistry() {
        // Given a registry where the channel registered a record (not a string) as its key schema
        String scope = "topics-keys-" + System.nanoTime();
        try {
            Schema recordKey = new Schema.Parser().parse(
                    "{\"type\":\"record\",\"name\":\"Key\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
            int recordId = InMemorySchemaRegistry.forScope(scope).register("notifications.requests-key", recordKey);
            int stringId = InMemorySchemaRegistry.forScope(scope).register("chat.events-key", Schema.create(Schema.Type.STRING));
            Topics topics = Topics.create(TopicNames.defaults(), Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope));
            byte[] holdingConv1 = {0, 0, 0, 0, 0, 12, 'c', 'o', 'n', 'v', '-', '1'};

            // When keys framed with each id are read, Then the string one is its string and the other is refused
            holdingConv1[4] = (byte) stringId;
            assertThat(topics.chatEvents().keySerde().deserializer().deserialize("chat.events", holdingConv1)).isEqualTo("conv-1");
            holdingConv1[4] = (byte) recordId;
            assertThatThrownBy(() -> topics.notifications().keySerde().deserializer().deserialize("notifications.requests",
                    holdingConv1)).isInstanceOf(SerializationException.class).hasMessageContaining("schema id " + recordId);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }
}
