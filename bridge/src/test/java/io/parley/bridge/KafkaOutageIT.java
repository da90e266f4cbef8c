package io.parley.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka away while devices keep publishing: the writes fail, the MQTT messages stay
 * unacknowledged, the bridge reconnects so that the broker sends them again, and once Kafka is
 * back every reading arrives.
 */
class KafkaOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void readingsPublishedWhileKafkaIsDownArriveWhenItIsBack(@TempDir Path directory) throws Exception {
        try (Mosquitto mosquitto = Mosquitto.start(directory);
             EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            kafka.createTopics(1, "outage.telemetry", "outage.dlq");
            BridgeConfig config = BridgeConfig.parse("bridge.yaml", """
                    mqtt:
                      serverUri: "%s"
                      clientId: outage
                      username: %s
                      password: %s
                      reconnect: {initialDelay: 100ms, maxDelay: 1s}
                    subscriptions:
                      - {filter: "outage/+/telemetry", deviceId: "topic:1", metric: /metric, value: /value, eventId: /id}
                    kafka: {bootstrap.servers: "%s", delivery.timeout.ms: "3000", request.timeout.ms: "1000",
                            max.block.ms: "1000", retry.backoff.max.ms: "200"}
                    schemaRegistry: {schema.registry.url: "mock://bridge-outage"}
                    topics: {iotTelemetry: outage.telemetry}
                    deadLetterTopic: outage.dlq
                    admin: {port: 0}
                    """.formatted(mosquitto.uri(), Mosquitto.USER, Mosquitto.PASSWORD, kafka.bootstrapServers()));
            var telemetry = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", "mock://bridge-outage"))
                    .iotTelemetry().valueSerde().deserializer();
            try (Bridge bridge = Bridge.start(config, Clock.systemUTC())) {
                await().atMost(WAIT).until(bridge::connected);
                MqttClient device = new MqttClient(mosquitto.uri(), "outage-device", new MemoryPersistence());
                MqttConnectOptions options = new MqttConnectOptions();
                options.setUserName(Mosquitto.USER);
                options.setPassword(Mosquitto.PASSWORD.toCharArray());
                device.connect(options);
                publish(device, 0);
                await().atMost(WAIT).until(() -> counter(bridge, "produced") == 1);

                // Given Kafka is down, When the device publishes five more readings
                kafka.stopBroker();
                for (int i = 1; i <= 5; i++) {
                    publish(device, i);
                }
                await().atMost(WAIT).until(() -> bridge.registry().find("parley.bridge.kafka.failures").counter() != null
                        && bridge.registry().find("parley.bridge.kafka.failures").counter().count() >= 1);

                // Then once Kafka is back every reading is there
                kafka.startBroker();
                try (TopicReader<TelemetryEvent> reader = new TopicReader<>(kafka.bootstrapServers(), "outage.telemetry", telemetry)) {
                    await().atMost(WAIT).until(() -> reader.poll().stream().map(r -> r.value().getEventId())
                            .collect(Collectors.toSet()).size() == 6);
                    assertThat(reader.poll().stream().map(r -> r.value().getEventId()).collect(Collectors.toSet()))
                            .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(0, 5).mapToObj(i -> "outage-" + i).toList());
                }
                assertThat(bridge.connected()).isTrue();
                device.disconnect();
                device.close();
            }
        }
    }

    private static void publish(MqttClient device, int i) throws Exception {
        MqttMessage message = new MqttMessage(("{\"id\":\"outage-" + i + "\",\"metric\":\"temperature\",\"value\":" + i + "}")
                .getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        device.publish("outage/freezer-3/telemetry", message);
    }

    private static double counter(Bridge bridge, String outcome) {
        var counter = bridge.registry().find("parley.bridge.messages").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
