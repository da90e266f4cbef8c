package io.parley.processor.telemetry;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.Device;
import io.parley.schemas.Notification;
import io.parley.topics.Topic;
import io.parley.topics.Topics;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.state.AlertCalls;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Repartitioned;
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

    public static final String ALERT_CALL_JOIN = "alert-call-join";

    /** Whether an answer on {@code backend.responses} is for a fired rule's call (its request id starts {@code alert/}). */
    public static boolean isAlertAnswer(BackendResponse response) {
        return response != null && RuleCalls.isAlertRequest(response.getRequestId());
    }

    /** Adds the rules; returns the alerts (notifications keyed by the device owner's user id). */
    public static KStream<String, Notification> add(StreamsBuilder builder, Topics topics, RuleBook rules, AuditTrail audit,
                                                    ProcessorMetrics metrics) {
        return add(builder, topics, rules, audit, metrics, null);
    }

    /**
     * Adds the rules; returns the alerts (notifications keyed by the device owner's user id).
     *
     * @param alertResponses the answers of alert calls, taken out of {@code backend.responses} before the conversation
     *     step ({@link RuleCalls#isAlertRequest}); null when no rule makes calls
     */
    public static KStream<String, Notification> add(StreamsBuilder builder, Topics topics, RuleBook rules, AuditTrail audit,
                                                    ProcessorMetrics metrics, KStream<String, BackendResponse> alertResponses) {
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
        KStream<String, Notification> alerts = outputs.flatMapValues(
                value -> value instanceof Notification n ? List.of(n) : List.<Notification>of(), Named.as("telemetry-alerts"));
        if (!rules.makesCalls()) {
            return alerts;
        }
        // A rule with calls: its requests go to the workers like a turn's; the alert waits for the answers in the
        // alert-call join, which the alert and its answers reach through one repartition topic keyed by alert id.
        outputs.flatMapValues(value -> value instanceof BackendRequest r ? List.of(r) : List.<BackendRequest>of(),
                        Named.as("alert-requests"))
                .to(topics.backendRequests().name(), Produced.with(topics.backendRequests().keySerde(),
                        topics.backendRequests().valueSerde()).withName("alert-requests-sink"));
        Serde<AlertCalls> alertCallsSerde = topics.valueSerde(AlertCalls.class);
        KStream<String, AlertCalls> pending = outputs.flatMapValues(
                value -> value instanceof AlertCalls a ? List.of(a) : List.<AlertCalls>of(), Named.as("alerts-awaiting-calls"));
        KStream<String, AlertCalls> answers = alertResponses.map(
                (key, response) -> KeyValue.pair(RuleCalls.alertIdOf(response.getRequestId()),
                        AlertCallJoin.answer(response, response.getCompletedAt() == null ? 0 : response.getCompletedAt().toEpochMilli())),
                Named.as("alert-answers-by-alert"));
        KStream<String, SpecificRecord> joined = pending.merge(answers, Named.as("alerts-and-answers"))
                .repartition(Repartitioned.with(Serdes.String(), alertCallsSerde).withName(TelemetryStoreNames.ALERT_CALLS_REPARTITION))
                .process(new AlertCallJoin(new RuleCalls(audit), metrics, alertCallsSerde, rules.checkEvery()), Named.as(ALERT_CALL_JOIN));
        joined.flatMapValues(value -> value instanceof AuditEvent event ? List.of(event) : List.<AuditEvent>of(),
                        Named.as("alert-call-audit"))
                .to(topics.audit().name(), Produced.with(topics.audit().keySerde(), topics.audit().valueSerde())
                        .withName("alert-call-audit-sink"));
        return alerts.merge(joined.flatMapValues(value -> value instanceof Notification n ? List.of(n) : List.<Notification>of(),
                Named.as("alert-call-notifications")), Named.as("alerts-with-calls"));
    }
}
