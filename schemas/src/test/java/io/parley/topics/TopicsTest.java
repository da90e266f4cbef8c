package io.parley.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
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
                Map.entry("workerDeadLetters", "backend.requests.dlq"));
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
}
