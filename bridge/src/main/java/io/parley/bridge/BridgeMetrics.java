package io.parley.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/** The bridge's meters ({@code parley_bridge_*} on {@code /metrics}). */
final class BridgeMetrics {

    final Counter produced;
    final Counter deadLettered;
    final Counter redelivered;
    final Counter kafkaFailures;
    final Counter commandsPublished;
    final Counter commandsDeadLettered;
    final Counter connectionsLost;

    BridgeMetrics(MeterRegistry registry, BooleanSupplier connected) {
        produced = Counter.builder("parley.bridge.messages").tag("outcome", "produced")
                .description("MQTT messages written to the telemetry topic and acknowledged to the broker").register(registry);
        deadLettered = Counter.builder("parley.bridge.messages").tag("outcome", "dead_letter")
                .description("MQTT messages that could not be mapped, written to the dead-letter topic").register(registry);
        redelivered = Counter.builder("parley.bridge.redeliveries")
                .description("MQTT messages the broker sent again (DUP flag): written again, de-duplicated downstream by eventId")
                .register(registry);
        kafkaFailures = Counter.builder("parley.bridge.kafka.failures")
                .description("Kafka writes that failed; the MQTT message stays unacknowledged and comes again").register(registry);
        commandsPublished = Counter.builder("parley.bridge.commands").tag("outcome", "published")
                .description("Device commands published to MQTT").register(registry);
        commandsDeadLettered = Counter.builder("parley.bridge.commands").tag("outcome", "dead_letter")
                .description("Device commands without a usable device id, written to the dead-letter topic").register(registry);
        connectionsLost = Counter.builder("parley.bridge.mqtt.connections.lost")
                .description("Times the MQTT connection was lost").register(registry);
        Gauge.builder("parley.bridge.mqtt.connected", () -> connected.getAsBoolean() ? 1 : 0)
                .description("1 while connected to the MQTT broker").register(registry);
    }
}
