package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.ProcessorStartupException;
import io.parley.topics.TopicNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour 15: chat events and backend responses that are not co-partitioned stop the start. */
class PartitionCheckIT {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void differentPartitionCountsStopTheStartNamingBothTopicsAndCounts() {
        TopicNames names = TopicNames.fromMap(Map.of("chatEvents", "pc.chat.events", "backendResponses", "pc.backend.responses"));
        kafka.createTopics(Map.of("pc.chat.events", 3, "pc.backend.responses", 2));

        assertThatThrownBy(() -> ParleyProcessor.start(config(names)))
                .isInstanceOf(ProcessorStartupException.class)
                .hasMessageContaining("pc.chat.events (3 partitions)")
                .hasMessageContaining("pc.backend.responses (2 partitions)");
    }

    @Test
    void missingTopicStopsTheStartNamingIt() {
        TopicNames names = TopicNames.fromMap(Map.of("chatEvents", "missing.chat.events", "backendResponses", "missing.backend.responses"));

        assertThatThrownBy(() -> ParleyProcessor.start(config(names)))
                .isInstanceOf(ProcessorStartupException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("missing.chat.events");
    }

    private static ProcessorConfig config(TopicNames names) {
        return ProcessorConfig.builder()
                .kafka("bootstrap.servers", kafka.bootstrapServers())
                .schemaRegistry("schema.registry.url", "mock://partition-check")
                .topics(names)
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .adminPort(0)
                .build();
    }
}
