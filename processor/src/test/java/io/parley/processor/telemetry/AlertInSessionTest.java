package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.FlowSource;
import io.parley.processor.topology.StoreNames;
import io.parley.schemas.state.Session;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A delivered alert is kept in its owner's session (through the {@code alert-deliveries} repartition topic into the
 * conversation sub-topology): it starts no turn and sends nothing, and the owner's next message sees {@code alert.*}.
 */
class AlertInSessionTest {

    private static TelemetryDriver driver() {
        return TelemetryDriver.with("telemetry/test-rules.yaml", builder -> builder.flows(List.of(
                FlowSource.classpath("flows/demo-shop.yaml"), FlowSource.classpath("flows/demo-alerts.yaml"))));
    }

    @Test
    void theOwnersNextMessageSeesTheDeliveredAlert() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            // Given no alert yet, the flow says so
            assertThat(driver.ownerSays("what happened?")).containsExactly("There is no device alert for you in this conversation.");

            // When the freezer fires its rule and the alert is delivered
            driver.measure("freezer-1", "temperature", -12.5, 1);
            driver.settle();
            assertThat(driver.alertTexts()).containsExactly("Freezer in store 12 is at -12.5 °C (limit -15 °C).");

            // Then the session keeps the alert, and the delivery sent nothing else (no turn ran)
            KeyValueStore<String, Session> sessions = driver.store(StoreNames.SESSIONS);
            assertThat(sessions.get(TelemetryDriver.CONVERSATION).getAlert())
                    .containsEntry("device.id", "freezer-1").containsEntry("device.name", "Freezer")
                    .containsEntry("device.location", "store 12").containsEntry("rule", "too-warm")
                    .containsEntry("metric", "temperature").containsEntry("value", "-12.5")
                    .containsEntry("at", TelemetryDriver.START.plus(Duration.ofMinutes(1)).toString());
            assertThat(driver.ownerSays("xyzzy plugh")).hasSize(1);

            // And the owner's next message is answered from alert.*
            assertThat(driver.ownerSays("what happened?")).containsExactly("Your Freezer in store 12 reported temperature -12.5 at "
                    + TelemetryDriver.START.plus(Duration.ofMinutes(1)) + " (rule too-warm).");
        }
    }

    @Test
    void anotherUsersConversationDoesNotLearnOfTheAlert() {
        try (TelemetryDriver driver = driver().ownerIsOnline().freezer()) {
            // Given bob talks to the bot in his own conversation
            driver.says("conv-bob", "bob", "xyzzy plugh");

            // When alice's freezer alerts
            driver.measure("freezer-1", "temperature", -12, 1);
            driver.settle();
            assertThat(driver.alertTexts()).hasSize(1);

            // Then bob's session has no alert and his question is answered without one
            KeyValueStore<String, Session> sessions = driver.store(StoreNames.SESSIONS);
            assertThat(sessions.get("conv-bob").getAlert()).isEmpty();
            assertThat(driver.says("conv-bob", "bob", "what happened?"))
                    .containsExactly("There is no device alert for you in this conversation.");
        }
    }

    @Test
    void theAlertStepSharesTheConversationSubTopologyAndItsSessions() {
        try (TelemetryDriver driver = driver()) {
            TopologyDescription.Subtopology conversation = driver.topology().describe().subtopologies().stream()
                    .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals("conversation")))
                    .findFirst().orElseThrow();
            assertThat(conversation.nodes()).anySatisfy(node -> {
                assertThat(node.name()).isEqualTo("alert-to-session");
                assertThat(((TopologyDescription.Processor) node).stores()).containsExactly(StoreNames.SESSIONS);
            });
            assertThat(conversation.nodes()).anySatisfy(node -> assertThat(node).isInstanceOfSatisfying(TopologyDescription.Source.class,
                    source -> assertThat(source.topicSet()).singleElement().asString().endsWith("alert-deliveries-repartition")));
        }
    }
}
