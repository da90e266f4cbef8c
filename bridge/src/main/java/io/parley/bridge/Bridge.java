package io.parley.bridge;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.AdminServer;
import io.parley.runtime.DaemonThreads;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.Topics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A running MQTT bridge: telemetry from the subscriptions into Kafka, device commands from Kafka to
 * MQTT, and the admin endpoint ({@code /metrics}; {@code /health/ready} while connected to MQTT).
 */
public final class Bridge implements AutoCloseable {

    private final MqttConnection mqtt;
    private final ExecutorService ingestThread;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CommandRelay commands;
    private final AdminServer admin;
    private final PrometheusMeterRegistry registry;

    private Bridge(MqttConnection mqtt, ExecutorService ingestThread, KafkaProducer<byte[], byte[]> producer, CommandRelay commands, AdminServer admin,
                   PrometheusMeterRegistry registry) {
        this.mqtt = mqtt;
        this.ingestThread = ingestThread;
        this.producer = producer;
        this.commands = commands;
        this.admin = admin;
        this.registry = registry;
    }

    /** Starts the bridge; the MQTT connection is made in the background, with growing waits while the broker is away. */
    public static Bridge start(BridgeConfig config, Clock clock) {
        Topics topics = Topics.create(config.topics(), config.serde());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(config),
                new ByteArraySerializer(), new ByteArraySerializer());
        AtomicReference<MqttConnection> connection = new AtomicReference<>();
        BridgeMetrics metrics = new BridgeMetrics(registry, () -> connection.get() != null && connection.get().connected());
        Serializer<TelemetryEvent> values = topics.iotTelemetry().valueSerde().serializer();
        TelemetryMapping mapping = new TelemetryMapping(config.subscriptions());
        TelemetryIngest ingest = new TelemetryIngest(mapping, producer, topics.iotTelemetry().name(), values,
                config.deadLetterTopic(), message -> connection.get().ack(message),
                () -> connection.get().resendUnacknowledged(), metrics, clock);
        // Paho completes its own operations (connect, subscribe) on the thread that delivers messages: a Kafka
        // write that blocks (metadata unavailable) must not hold it, so messages are handed to one thread of
        // their own, in order. The queue stays small: the broker sends no more than its in-flight window
        // of unacknowledged messages.
        ExecutorService ingestThread = Executors.newSingleThreadExecutor(DaemonThreads.named("parley-bridge-ingest"));
        MqttConnection mqtt = new MqttConnection(config.mqtt(),
                config.subscriptions().stream().map(Subscription::filter).toList(),
                (topic, message) -> {
                    try {
                        ingestThread.execute(() -> ingest.accept(topic, message));
                    } catch (RejectedExecutionException e) {
                        // Closing: the message stays unacknowledged and comes again.
                    }
                },
                metrics.connectionsLost::increment);
        connection.set(mqtt);
        mqtt.start();

        CommandRelay relay = null;
        if (config.commands() != null) {
            Map<String, Object> consumerConfig = new HashMap<>(config.kafka());
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.commands().groupId());
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            relay = new CommandRelay(config.commands(), new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()), mqtt, producer, config.deadLetterTopic(), metrics,
                    config.mqtt().reconnectInitialDelay());
            relay.start();
        }
        AdminServer admin = AdminServer.builder(registry)
                .host(config.admin().host())
                .port(config.admin().port())
                .readiness(mqtt::connected)
                .start();
        return new Bridge(mqtt, ingestThread, producer, relay, admin, registry);
    }

    static Map<String, Object> producerConfig(BridgeConfig config) {
        Map<String, Object> producerConfig = new HashMap<>(config.kafka());
        // At-least-once from MQTT: the broker's ack waits for every in-sync replica, and retries never duplicate.
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "parley-bridge-" + config.mqtt().clientId());
        return producerConfig;
    }

    /** Whether the MQTT connection is up. */
    public boolean connected() {
        return mqtt.connected();
    }

    public int adminPort() {
        return admin.port();
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops taking messages first; what Kafka has not acknowledged yet stays unacknowledged at the broker. */
    @Override
    public void close() {
        mqtt.close();
        ingestThread.shutdownNow();
        if (commands != null) {
            commands.close();
        }
        producer.close(java.time.Duration.ofSeconds(10));
        admin.close();
        registry.close();
    }
}
