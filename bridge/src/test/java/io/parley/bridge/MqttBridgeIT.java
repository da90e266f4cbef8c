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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge between a real Mosquitto (password file, anonymous refused) and the embedded Kafka
 * broker: telemetry once per message, dead letters, a restart mid-stream, commands back to MQTT,
 * and a broker that comes up after the bridge.
 */
class MqttBridgeIT {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBridgeIT.class);
    private static final String REGISTRY = "mock://bridge-it";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path directory;
    private static Mosquitto mosquitto;
    private static EmbeddedKafkaCluster kafka;
    private static Deserializer<TelemetryEvent> telemetry;

    @BeforeAll
    static void start() {
        mosquitto = Mosquitto.start(directory);
        kafka = EmbeddedKafkaCluster.start();
        telemetry = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", REGISTRY))
                .iotTelemetry().valueSerde().deserializer();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    /** A bridge for one test: its own client id, MQTT prefix and Kafka topics ({@code <name>.telemetry}, {@code <name>.dlq}). */
    private static BridgeConfig config(String name, String serverUri, String extra) {
        return BridgeConfig.parse("bridge.yaml", """
                mqtt:
                  serverUri: "%s"
                  clientId: %s
                  username: %s
                  password: %s
                  reconnect: {initialDelay: 100ms, maxDelay: 1s}
                subscriptions:
                  - {filter: "%s/+/telemetry", deviceId: "topic:1", metric: /metric, value: /value, eventTime: /ts,
                     eventId: /id, attributes: {unit: /unit}}
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "%s"}
                topics: {iotTelemetry: %s.telemetry}
                deadLetterTopic: %s.dlq
                admin: {port: 0}
                """.formatted(serverUri, name, Mosquitto.USER, Mosquitto.PASSWORD, name, kafka.bootstrapServers(),
                REGISTRY, name, name) + extra);
    }

    private static Bridge startConnected(BridgeConfig config) {
        Bridge bridge = Bridge.start(config, Clock.systemUTC());
        await("bridge connected").atMost(WAIT).until(bridge::connected);
        return bridge;
    }

    private static MqttClient client(String clientId) throws MqttException {
        MqttClient client = new MqttClient(mosquitto.uri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(Mosquitto.USER);
        options.setPassword(Mosquitto.PASSWORD.toCharArray());
        options.setMaxInflight(1000);
        client.connect(options);
        return client;
    }

    private static void publish(MqttClient client, String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(topic, message);
    }

    private static String reading(String id, double value) {
        return "{\"id\":\"%s\",\"metric\":\"temperature\",\"value\":%s,\"ts\":1764835200000,\"unit\":\"C\"}".formatted(id, value);
    }

    private static double count(Bridge bridge, String name, String... tags) {
        var counter = bridge.registry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void mappedTelemetryArrivesInKafkaOncePerMessage() throws Exception {
        // Given a running bridge
        kafka.createTopics(1, "once.telemetry", "once.dlq");
        try (Bridge bridge = startConnected(config("once", mosquitto.uri(), ""));
             TopicReader<TelemetryEvent> reader = new TopicReader<>(kafka.bootstrapServers(), "once.telemetry", telemetry)) {
            MqttClient device = client("once-device");

            // When a device publishes 20 readings
            for (int i = 0; i < 20; i++) {
                publish(device, "once/freezer-" + (i % 2) + "/telemetry", reading("once-" + i, -15 - i));
            }

            // Then each is in Kafka once, keyed and mapped, and the broker got every acknowledgement
            await().atMost(WAIT).until(() -> reader.poll().size() >= 20);
            await().atMost(WAIT).until(() -> count(bridge, "parley.bridge.messages", "outcome", "produced") == 20);
            List<ConsumerRecord<byte[], TelemetryEvent>> records = reader.poll();
            assertThat(reader.endOffset()).isEqualTo(20);
            assertThat(records).extracting(r -> r.value().getEventId())
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "once-" + i).toList());
            ConsumerRecord<byte[], TelemetryEvent> first = records.stream()
                    .filter(r -> r.value().getEventId().equals("once-3")).findFirst().orElseThrow();
            assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("freezer-1");
            assertThat(first.value().getDeviceId()).isEqualTo("freezer-1");
            assertThat(first.value().getValue()).isEqualTo(-18.0);
            assertThat(first.value().getAttributes()).containsEntry("unit", "C")
                    .containsEntry("mqtt.topic", "once/freezer-1/telemetry");
            device.disconnect();
            device.close();
        }
    }

    @Test
    void aMalformedPayloadGoesToTheDeadLetterTopicWithTheReasonAndTheNextMessageStillArrives() throws Exception {
        // Given a running bridge
        kafka.createTopics(1, "bad.telemetry", "bad.dlq");
        try (Bridge bridge = startConnected(config("bad", mosquitto.uri(), ""));
             TopicReader<TelemetryEvent> reader = new TopicReader<>(kafka.bootstrapServers(), "bad.telemetry", telemetry);
             TopicReader<byte[]> dead = new TopicReader<>(kafka.bootstrapServers(), "bad.dlq", new ByteArrayDeserializer())) {
            MqttClient device = client("bad-device");

            // When a device sends a broken payload, one without a value, then a good one
            publish(device, "bad/locker-7/telemetry", "{\"id\": \"bad-1\", \"metric\": ");
            publish(device, "bad/locker-7/telemetry", "{\"id\":\"bad-2\",\"metric\":\"doorOpen\",\"ts\":1}");
            publish(device, "bad/locker-7/telemetry", reading("good-1", 4));

            // Then both bad ones are dead letters with their reasons and original bytes, and the good one arrives
            await().atMost(WAIT).until(() -> dead.poll().size() >= 2 && !reader.poll().isEmpty());
            List<ConsumerRecord<byte[], byte[]>> letters = dead.poll();
            assertThat(letters).extracting(r -> header(r, DeadLetters.MESSAGE))
                    .containsExactly("payload is not JSON (line 1, column 27)", "value from /value: missing");
            assertThat(letters).allSatisfy(r -> {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("bad/locker-7/telemetry");
                assertThat(header(r, DeadLetters.TOPIC)).isEqualTo("mqtt:bad/locker-7/telemetry");
            });
            assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": \"bad-1\", \"metric\": ");
            assertThat(reader.poll()).singleElement().satisfies(r -> assertThat(r.value().getEventId()).isEqualTo("good-1"));
            await().atMost(WAIT).until(() -> count(bridge, "parley.bridge.messages", "outcome", "dead_letter") == 2);
            assertThat(bridge.connected()).isTrue();
            device.disconnect();
            device.close();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aBridgeRestartedMidStreamLosesNothing() throws Exception {
        // Given a bridge with a persistent session, and a device publishing 300 readings
        kafka.createTopics(1, "restart.telemetry", "restart.dlq");
        int total = 300;
        BridgeConfig config = config("restart", mosquitto.uri(), "");
        Bridge first = startConnected(config);
        MqttClient device = client("restart-device");
        Thread publisher = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    publish(device, "restart/freezer-9/telemetry", reading("restart-" + i, i));
                }
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
        }, "restart-publisher");
        try (TopicReader<TelemetryEvent> reader = new TopicReader<>(kafka.bootstrapServers(), "restart.telemetry", telemetry)) {
            publisher.start();

            // When the bridge stops while readings are flowing, and a new one takes over the session
            await().atMost(WAIT).until(() -> reader.poll().size() >= 40);
            first.close();
            Bridge second = startConnected(config);
            publisher.join(TimeUnit.SECONDS.toMillis(60));

            // Then every reading is in Kafka; the broker's redeliveries are duplicates with the same eventId
            try (second) {
                await().atMost(WAIT).until(() -> distinctIds(reader.poll()).size() == total);
                List<ConsumerRecord<byte[], TelemetryEvent>> records = reader.poll();
                int duplicates = records.size() - total;
                LOG.warn("Restart mid-stream: {} readings, {} records in Kafka, {} duplicates, {} redeliveries flagged by the broker",
                        total, records.size(), duplicates, count(second, "parley.bridge.redeliveries"));
                assertThat(duplicates).isGreaterThanOrEqualTo(0);
                assertThat(distinctIds(records)).hasSize(total);
            }
        } finally {
            device.disconnect();
            device.close();
        }
    }

    private static Set<String> distinctIds(List<ConsumerRecord<byte[], TelemetryEvent>> records) {
        return records.stream().map(r -> r.value().getEventId()).collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void aCommandOnTheKafkaTopicReachesTheDevicesMqttSubscription() throws Exception {
        // Given a bridge relaying commands, and a device listening to its command topic
        kafka.createTopics(1, "cmd.telemetry", "cmd.dlq", "cmd.commands");
        BridgeConfig config = config("cmd", mosquitto.uri(), """
                commands: {topic: cmd.commands, mqttTopic: "cmd/{deviceId}/commands", groupId: cmd-relay}
                """);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient device = client("cmd-device");
        device.subscribe("cmd/+/commands", 1, (topic, message) ->
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        try (Bridge bridge = startConnected(config);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer());
             TopicReader<byte[]> dead = new TopicReader<>(kafka.bootstrapServers(), "cmd.dlq", new ByteArrayDeserializer())) {

            // When a command without a device id and one for freezer-1 are written to Kafka
            producer.send(new ProducerRecord<>("cmd.commands", null, "{\"action\":\"lost\"}".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>("cmd.commands", "freezer-1".getBytes(StandardCharsets.UTF_8),
                    "{\"action\":\"defrost\"}".getBytes(StandardCharsets.UTF_8))).get();

            // Then the device receives its command over MQTT, and the other is a dead letter with the reason
            String message = received.poll(60, TimeUnit.SECONDS);
            assertThat(message).isEqualTo("cmd/freezer-1/commands {\"action\":\"defrost\"}");
            await().atMost(WAIT).until(() -> !dead.poll().isEmpty());
            assertThat(header(dead.poll().get(0), DeadLetters.MESSAGE)).isEqualTo("the record has no key (the device id)");
            assertThat(count(bridge, "parley.bridge.commands", "outcome", "published")).isEqualTo(1);
        } finally {
            device.disconnect();
            device.close();
        }
    }

    @Test
    void aBridgeStartedBeforeItsBrokerConnectsOnceTheBrokerIsUp(@TempDir Path later) throws Exception {
        // Given a bridge whose broker is not running yet
        kafka.createTopics(1, "late.telemetry", "late.dlq");
        int port = Mosquitto.freePort();
        try (Bridge bridge = Bridge.start(config("late", "tcp://127.0.0.1:" + port, ""), Clock.systemUTC());
             TopicReader<TelemetryEvent> reader = new TopicReader<>(kafka.bootstrapServers(), "late.telemetry", telemetry)) {
            assertThat(bridge.connected()).isFalse();
            assertThat(readiness(bridge)).isEqualTo(503);

            // When the broker starts
            try (Mosquitto broker = Mosquitto.start(later, port)) {

                // Then the bridge connects by itself, is ready, and relays telemetry
                await().atMost(WAIT).until(bridge::connected);
                assertThat(readiness(bridge)).isEqualTo(200);
                MqttClient device = new MqttClient(broker.uri(), "late-device", new MemoryPersistence());
                MqttConnectOptions options = new MqttConnectOptions();
                options.setUserName(Mosquitto.USER);
                options.setPassword(Mosquitto.PASSWORD.toCharArray());
                device.connect(options);
                publish(device, "late/freezer-2/telemetry", reading("late-1", -20));
                await().atMost(WAIT).until(() -> !reader.poll().isEmpty());
                assertThat(reader.poll().get(0).value().getDeviceId()).isEqualTo("freezer-2");
                device.disconnect();
                device.close();
            }
        }
    }

    private static int readiness(Bridge bridge) throws Exception {
        java.net.http.HttpResponse<Void> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + bridge.adminPort() + "/health/ready"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }
}
