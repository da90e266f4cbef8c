package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.kafka.ScenarioTopics;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.serde.AvroSerdeConfig;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class PassThroughTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-24T05:00:00Z");

    static ChatEvent event(String id, String text) {
        return ChatEvent.newBuilder().setEventId(id).setConversationId("c1").setUserId("alice").setChannel("bench")
                .setType(ChatEventType.MESSAGE).setText(text).setOccurredAt(NOW).build();
    }

    static ScenarioTopics topics() {
        return new ScenarioTopics("test", "S1", Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + UUID.randomUUID()));
    }

    @Test
    void everyEventGetsOneAnswerInTheSameConversation() {
        ScenarioTopics topics = topics();
        Topic<String, ChatEvent> events = topics.topics().chatEvents();
        Topic<String, ChatReply> replies = topics.topics().defaultReplies();
        Topology topology = PassThroughTopology.build(events, replies, Clock.fixed(NOW, ZoneOffset.UTC));

        try (TopologyTestDriver driver = new TopologyTestDriver(topology)) {
            TestInputTopic<String, ChatEvent> in = driver.createInputTopic(events.name(),
                    events.keySerde().serializer(), events.valueSerde().serializer());
            TestOutputTopic<String, ChatReply> out = driver.createOutputTopic(replies.name(),
                    replies.keySerde().deserializer(), replies.valueSerde().deserializer());

            in.pipeInput("c1", event("e1", "where is my order 1001"));

            ChatReply reply = out.readValue();
            assertThat(reply.getInReplyTo()).isEqualTo("e1");
            assertThat(reply.getConversationId()).isEqualTo("c1");
            assertThat(reply.getKind()).isEqualTo(ReplyKind.ANSWER);
            assertThat(reply.getCreatedAt()).isEqualTo(NOW);
            assertThat(out.isEmpty()).isTrue();
        }
    }

    @Test
    void itsNodesHaveTheNamesWeChose() {
        ScenarioTopics topics = topics();
        Topology topology = PassThroughTopology.build(topics.topics().chatEvents(), topics.topics().defaultReplies(),
                Clock.systemUTC());

        assertThat(topology.describe().toString())
                .contains("Source: pass-through-events")
                .contains("Processor: pass-through-echo")
                .contains("Sink: pass-through-replies");
    }
}
