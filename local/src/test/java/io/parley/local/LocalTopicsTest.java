package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.topics.TopicNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalTopicsTest {

    private final TopicNames names = TopicNames.defaults();

    @Test
    void publishedFlowSetsGetOnePartitionSoTheirVersionsStayInOrder() {
        // Given local mode's topics with three partitions
        LocalTopics topics = new LocalTopics(names, List.of("chat.replies.console"), 3);

        // When their partition counts are listed
        Map<String, Integer> partitions = topics.partitionsByTopic();

        // Then the flow sets' topic has one, like deploy/kafka-init.sh makes it, and the others three
        assertThat(partitions).containsEntry(names.flows(), 1)
                .containsEntry(names.chatEvents(), 3)
                .containsEntry(names.connectorCatalog(), 3)
                .containsEntry("chat.replies.console", 3);
    }
}
