package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** With rules, the telemetry nodes and stores have the names we chose (renaming a store orphans its state). */
class TelemetryTopologyNamesTest {

    @Test
    void telemetryNodesAndStoresArePinned() {
        try (TelemetryDriver driver = TelemetryDriver.withTestRules()) {
            TopologyDescription description = driver.topology().describe();
            Set<String> nodes = new TreeSet<>();
            Set<String> stores = new TreeSet<>();
            description.subtopologies().forEach(s -> s.nodes().forEach(node -> {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor processor && (node.name().equals(TelemetryTopology.RULES)
                        || node.name().equals(TelemetryTopology.MUTES))) {
                    stores.addAll(processor.stores());
                }
            }));
            assertThat(nodes).contains("telemetry-source", "telemetry-rules", "telemetry-audit", "telemetry-audit-sink",
                    "telemetry-alerts", "notifications-and-alerts", "notification-delivery",
                    "mutes-source", "telemetry-mutes", "telemetry-mutes-audit-sink", "conversation-mutes", "conversation-mutes-sink",
                    "alert-replies", "alert-to-session");
            assertThat(stores).containsExactly("telemetry-deadlines", "telemetry-rules");
            assertThat(description.globalStores()).singleElement()
                    .satisfies(global -> assertThat(global.processor().stores()).containsExactly("devices"));
        }
    }
}
