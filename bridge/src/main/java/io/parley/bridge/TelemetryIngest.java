package io.parley.bridge;

import io.parley.schemas.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one MQTT message: mapped to a {@code TelemetryEvent} and written to the telemetry
 * topic, or written as it came to the dead-letter topic with the reason; acknowledged to the broker
 * only when Kafka has acknowledged the write. A failed write leaves the message unacknowledged, so
 * the broker sends it again (at-least-once; downstream drops repeated event ids).
 */
final class TelemetryIngest {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryIngest.class);

    private final TelemetryMapping mapping;
    private final Producer<byte[], byte[]> producer;
    private final String telemetryTopic;
    private final Serializer<TelemetryEvent> values;
    private final String deadLetterTopic;
    private final Consumer<MqttMessage> ack;
    private final Runnable resend;
    private final BridgeMetrics metrics;
    private final Clock clock;

    TelemetryIngest(TelemetryMapping mapping, Producer<byte[], byte[]> producer, String telemetryTopic,
                    Serializer<TelemetryEvent> values, String deadLetterTopic, Consumer<MqttMessage> ack,
                    Runnable resend, BridgeMetrics metrics, Clock clock) {
        this.mapping = mapping;
        this.producer = producer;
        this.telemetryTopic = telemetryTopic;
        this.values = values;
        this.deadLetterTopic = deadLetterTopic;
        this.ack = ack;
        this.resend = resend;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Handles a message, in arrival order, on the bridge's ingest thread; the Kafka write is asynchronous. */
    void accept(String mqttTopic, MqttMessage message) {
        if (message.isDuplicate()) {
            metrics.redelivered.increment();
        }
        byte[] payload = message.getPayload();
        ProducerRecord<byte[], byte[]> record;
        boolean mapped;
        try {
            TelemetryEvent event = mapping.map(mqttTopic, payload, clock.instant());
            record = new ProducerRecord<>(telemetryTopic, event.getDeviceId().getBytes(StandardCharsets.UTF_8),
                    values.serialize(telemetryTopic, event));
            mapped = true;
        } catch (UnmappableMessage e) {
            LOG.warn("MQTT message {} on {} cannot be mapped ({}); sent to {}", message.getId(), mqttTopic,
                    e.getMessage(), deadLetterTopic);
            record = DeadLetters.ofMqtt(deadLetterTopic, mqttTopic, payload, e.getMessage());
            mapped = false;
        } catch (RuntimeException e) {
            // A serializer or registry failure is not the message's fault: leave it unacknowledged.
            LOG.warn("MQTT message {} on {} could not be serialized ({}); the broker will send it again",
                    message.getId(), mqttTopic, e.getClass().getSimpleName());
            metrics.kafkaFailures.increment();
            resend.run();
            return;
        }
        boolean telemetry = mapped;
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    LOG.warn("Writing MQTT message {} on {} to {} failed ({}); the broker will send it again",
                            message.getId(), mqttTopic, metadata == null ? "Kafka" : metadata.topic(),
                            failure.getClass().getSimpleName());
                    metrics.kafkaFailures.increment();
                    resend.run();
                    return;
                }
                (telemetry ? metrics.produced : metrics.deadLettered).increment();
                ack.accept(message);
            });
        } catch (RuntimeException e) {
            LOG.warn("Writing MQTT message {} on {} to Kafka failed ({}); the broker will send it again",
                    message.getId(), mqttTopic, e.getClass().getSimpleName());
            metrics.kafkaFailures.increment();
            resend.run();
        }
    }
}
