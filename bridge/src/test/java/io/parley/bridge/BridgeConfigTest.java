package io.parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {

    private static final String MQTT = """
            mqtt: {serverUri: "tcp://127.0.0.1:1883", clientId: bridge-1}
            """;
    private static final String SUBSCRIPTIONS = """
            subscriptions:
              - {filter: devices/+/telemetry, deviceId: "topic:1", metric: /metric, value: /value}
            """;
    private static final String KAFKA = """
            kafka: {bootstrap.servers: "localhost:9092"}
            schemaRegistry: {schema.registry.url: "mock://bridge-config"}
            """;

    @Test
    void theDefaultsKeepTheSessionAndWriteToTheArchitecturesTopics() {
        BridgeConfig config = BridgeConfig.parse("bridge.yaml", MQTT + SUBSCRIPTIONS + KAFKA);

        assertThat(config.mqtt().cleanSession()).isFalse();
        assertThat(config.mqtt().reconnectInitialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.mqtt().reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.mqtt().password()).isNull();
        assertThat(config.topics().iotTelemetry()).isEqualTo("iot.telemetry");
        assertThat(config.deadLetterTopic()).isEqualTo("iot.telemetry.dlq");
        assertThat(config.commands()).isNull();
        assertThat(config.admin().port()).isEqualTo(BridgeConfig.Admin.DEFAULT_PORT);
        assertThat(config.subscriptions()).singleElement()
                .satisfies(s -> assertThat(s.deviceId()).isEqualTo(new FieldSource.TopicLevel(1)));
    }

    @Test
    void commandsGetTheDefaultMqttTopicTemplate() {
        BridgeConfig config = BridgeConfig.parse("bridge.yaml", MQTT + SUBSCRIPTIONS + KAFKA + "commands: {topic: device.commands}\n");

        assertThat(config.commands().mqttTopicFor("freezer-1")).isEqualTo("devices/freezer-1/commands");
        assertThat(config.commands().groupId()).isEqualTo("parley-bridge-commands");
    }

    @Test
    void errorsNameTheFileTheEntryAndTheField() {
        assertRefused(SUBSCRIPTIONS + KAFKA, "bridge.yaml: mqtt: missing");
        assertRefused(MQTT.replace("tcp://", "http://") + SUBSCRIPTIONS + KAFKA,
                "bridge.yaml: mqtt.serverUri: http://127.0.0.1:1883 is not accepted");
        assertRefused(MQTT + KAFKA, "bridge.yaml: subscriptions: missing");
        assertRefused(MQTT + SUBSCRIPTIONS.replace("value: /value", "value: value") + KAFKA,
                "bridge.yaml: subscriptions[0].value: value is not accepted; write a JSON pointer");
        assertRefused(MQTT + SUBSCRIPTIONS.replace("metric: /metric, ", "") + KAFKA,
                "bridge.yaml: subscriptions[0].metric: missing");
        assertRefused(MQTT + SUBSCRIPTIONS.replace("devices/+/telemetry", "devices/#/x") + KAFKA,
                "bridge.yaml: subscriptions[0].filter: devices/#/x is not accepted; # must be");
        assertRefused(MQTT + SUBSCRIPTIONS + KAFKA + "comands: {}\n", "bridge.yaml: comands: unknown key");
        assertRefused(MQTT + SUBSCRIPTIONS + KAFKA + "commands: {topic: c, mqttTopic: devices/+/commands}\n",
                "bridge.yaml: commands.mqttTopic: devices/+/commands is not accepted");
        assertRefused(MQTT + SUBSCRIPTIONS + "schemaRegistry: {schema.registry.url: \"mock://x\"}\n",
                "bridge.yaml: kafka.bootstrap.servers: is required");
        assertRefused(MQTT.replace("clientId: bridge-1", "clientId: bridge-1, reconnect: {initialDelay: 10s, maxDelay: 1s}")
                + SUBSCRIPTIONS + KAFKA, "bridge.yaml: mqtt.reconnect:");
        assertRefused(MQTT.replace("clientId: bridge-1", "clientId: bridge-1, password: pw") + SUBSCRIPTIONS + KAFKA,
                "bridge.yaml: mqtt.username: missing");
    }

    @Test
    void thePasswordIsASecretThatIsNeverPrinted() {
        BridgeConfig config = BridgeConfig.parse("bridge.yaml",
                MQTT.replace("clientId: bridge-1", "clientId: bridge-1, username: u, password: hunter2-pass")
                        + SUBSCRIPTIONS + KAFKA);

        assertThat(config.mqtt().password().reveal()).isEqualTo("hunter2-pass");
        assertThat(config.mqtt().toString()).doesNotContain("hunter2-pass");
    }

    @Test
    void theExampleConfigurationLoads() {
        BridgeConfig config = BridgeConfig.read(java.nio.file.Path.of("src", "main", "config", "bridge.yaml"));

        assertThat(config.subscriptions()).isNotEmpty();
        assertThat(config.commands()).isNotNull();
    }

    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> BridgeConfig.parse("bridge.yaml", yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }
}
