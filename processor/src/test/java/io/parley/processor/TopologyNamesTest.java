package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Behaviour 14: every node, store and internal topic has the name we chose. Renaming a store or a
 * repartition topic orphans its state in a running deployment, so a rename must fail this test.
 */
class TopologyNamesTest {

    @Test
    void nodeNamesArePinned() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            assertThat(nodesBySubtopology(driver.topology().describe())).isEqualTo(Map.of(
                    0, Set.of("chat-events-source", "backend-responses-source", "chat-events-as-input",
                            "backend-responses-as-input", "conversation-inputs", "conversation", "conversation-requests",
                            "conversation-replies", "conversation-audit", "backend-requests-sink", "conversation-replies-sink",
                            "conversation-audit-sink", "accepted-chat-events", "user-contact-by-user", "user-contacts-repartition-filter",
                            "user-contacts-repartition-sink"),
                    1, Set.of("notifications-by-user-repartition-source", "user-contacts-repartition-source",
                            "conversation-partition-check", "user-directory-table",
                            "notification-directory-join", "notification-delivery", "notification-replies",
                            "notification-audit", "notification-replies-sink", "notification-audit-sink"),
                    2, Set.of("notifications-source", "notification-key-check", "notifications-by-user-repartition-filter",
                            "notifications-by-user-repartition-sink")));
        }
    }

    @Test
    void storeNamesArePinned() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            Map<String, Set<String>> stores = new TreeMap<>();
            for (TopologyDescription.Subtopology subtopology : driver.topology().describe().subtopologies()) {
                for (TopologyDescription.Node node : subtopology.nodes()) {
                    if (node instanceof TopologyDescription.Processor processor && !processor.stores().isEmpty()) {
                        stores.put(node.name(), new TreeSet<>(processor.stores()));
                    }
                }
            }
            assertThat(stores).isEqualTo(Map.of(
                    "conversation", Set.of("sessions", "deadlines", "session-expiry", "event-ids"),
                    "user-directory-table", Set.of("user-directory"),
                    "notification-directory-join", Set.of("user-directory"),
                    "notification-delivery", Set.of("notification-ids")));
        }
    }

    @Test
    void bothConversationSourcesFeedTheOneConversationStep() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            TopologyDescription.Subtopology conversations = driver.topology().describe().subtopologies().stream()
                    .filter(s -> s.id() == 0).findFirst().orElseThrow();
            Map<String, Set<String>> sourceTopics = conversations.nodes().stream()
                    .filter(TopologyDescription.Source.class::isInstance)
                    .map(TopologyDescription.Source.class::cast)
                    .collect(Collectors.toMap(TopologyDescription.Node::name, TopologyDescription.Source::topicSet));
            assertThat(sourceTopics).isEqualTo(Map.of(
                    "chat-events-source", Set.of("chat.events"),
                    "backend-responses-source", Set.of("backend.responses")));
        }
    }

    @Test
    void internalTopicNamesArePinned() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            driver.say("where is my order 1001");
            driver.notify("n-1", ProcessorDriver.USER, "Hello", null);

            assertThat(driver.internalTopics()).containsExactlyInAnyOrder(
                    "parley-test-sessions-changelog",
                    "parley-test-deadlines-changelog",
                    "parley-test-session-expiry-changelog",
                    "parley-test-event-ids-changelog",
                    "parley-test-user-contacts-repartition",
                    "parley-test-notifications-by-user-repartition",
                    "parley-test-user-directory-changelog",
                    "parley-test-notification-ids-changelog");
        }
    }

    @Test
    void explicitNamingIsEnforced() {
        try (ProcessorDriver driver = ProcessorDriver.demoShop()) {
            assertThat(driver.streamsProperties())
                    .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        }
    }

    private static Map<Integer, Set<String>> nodesBySubtopology(TopologyDescription description) {
        return description.subtopologies().stream().collect(Collectors.toMap(TopologyDescription.Subtopology::id,
                s -> s.nodes().stream().map(TopologyDescription.Node::name).collect(Collectors.toSet())));
    }
}
