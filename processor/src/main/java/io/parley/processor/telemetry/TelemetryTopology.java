package io.parley.processor.telemetry;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.Device;
import io.parley.schemas.Notification;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Adds the trigger rules to the processor's topology (only when a rules file is configured):
 * <ul>
 *   <li>{@code iot.devices} as the global store {@code devices}. Global rather than co-partitioned: devices
 *       are few and small next to telemetry (100,000 devices are a few MB), a global copy needs no agreement on
 *       partition counts or partitioners between whoever writes devices and whoever writes telemetry, and the
 *       rule step reads it with a local get. The price: a device change is visible a moment later (the global
 *       thread), not in the same transaction as the telemetry.</li>
 *   <li>{@code iot.telemetry} into the {@code telemetry-rules} step, whose state is keyed by device id like the
 *       topic (no repartition).</li>
 *   <li>{@code iot.mutes} (users' mute commands, keyed by device id) into {@code telemetry-mutes}, which shares that
 *       state ({@link MuteProcessor}).</li>
 * </ul>
 * The alerts are returned as a notification stream keyed by owner, which the caller merges into the
 * notifications before their repartition by user, so they reach the user directory and the delivery step
 * like any notification. The audit records go to the audit topic.
 */
public final class TelemetryTopology {

    public static final String TELEMETRY_SOURCE = "telemetry-source";
    public static final String DEVICES_SOURCE = "devices-source";
    public static final String DEVICES_UPDATE = "devices-update";
    public static final String RULES = "telemetry-rules";
    public static final String MUTES_SOURCE = "mutes-source";
    public static final String MUTES = "telemetry-mutes";

    private TelemetryTopology() {
    }

    /** Adds the rules; returns the alerts (notifications keyed by the device owner's user id). */
    public static KStream<String, Notification> add(StreamsBuilder builder, Topics topics, RuleBook rules, AuditTrail audit,
                                                    ProcessorMetrics metrics) {
        Topic<String, Device> devices = topics.iotDevices();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TelemetryStoreNames.DEVICES), Serdes.String(),
                        topics.iotDevices().valueSerde()).withLoggingDisabled(),
                devices.name(),
                Consumed.with(Serdes.String(), topics.iotDevices().valueSerde()).withName(DEVICES_SOURCE),
                () -> new TelemetryRulesProcessorSupplier.DeviceTableUpdater(metrics));
        RuleEngine engine = new RuleEngine(rules);
        KStream<String, SpecificRecord> outputs = builder
                .stream(topics.iotTelemetry().name(),
                        Consumed.with(topics.iotTelemetry().keySerde(), topics.iotTelemetry().valueSerde()).withName(TELEMETRY_SOURCE))
                .process(new TelemetryRulesProcessorSupplier(engine, audit, metrics), Named.as(RULES));
        // Users' mutes share the rule state (same task as the device's telemetry, so iot.mutes is co-partitioned).
        builder.stream(topics.iotMutes().name(),
                        Consumed.with(topics.iotMutes().keySerde(), topics.iotMutes().valueSerde()).withName(MUTES_SOURCE))
                .process(() -> new MuteProcessor(engine, audit, metrics), Named.as(MUTES), TelemetryStoreNames.RULE_STATE)
                .to(topics.audit().name(), Produced.with(topics.audit().keySerde(), topics.audit().valueSerde())
                        .withName("telemetry-mutes-audit-sink"));
        outputs.flatMapValues(value -> value instanceof AuditEvent event ? List.of(event) : List.<AuditEvent>of(),
                        Named.as("telemetry-audit"))
                .to(topics.audit().name(), Produced.with(topics.audit().keySerde(), topics.audit().valueSerde())
                        .withName("telemetry-audit-sink"));
        return outputs.flatMapValues(value -> value instanceof Notification n ? List.of(n) : List.<Notification>of(),
                Named.as("telemetry-alerts"));
    }
}
