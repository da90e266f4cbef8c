package io.parley.processor.telemetry;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.topology.SkippedRecords;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.Device;
import io.parley.schemas.MuteCommand;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies users' mute commands ({@code iot.mutes}, keyed by device id, co-partitioned with {@code iot.telemetry}) to
 * the rule state the trigger-rules step keeps: it shares the {@code telemetry-rules} store, so it runs in the same task
 * and, under {@code exactly_once_v2}, its state change and audit record commit in one transaction with the command's
 * offset. A command is applied only when its user owns the device (the {@code devices} table); otherwise it is audited
 * {@code SECURITY} and dropped, and the device's state is untouched. Applied mutes are audited {@code RULE_STATE}
 * with status {@code MUTED}.
 */
final class MuteProcessor implements Processor<String, MuteCommand, String, AuditEvent> {

    static final String NOT_OWNER = "mute-not-owner";

    private final RuleEngine engine;
    private final AuditTrail audit;
    private final ProcessorMetrics metrics;
    private ProcessorContext<String, AuditEvent> context;
    private KeyValueStore<String, DeviceState> states;
    private KeyValueStore<String, Device> devices;
    private SkippedRecords skipped;

    MuteProcessor(RuleEngine engine, AuditTrail audit, ProcessorMetrics metrics) {
        this.engine = engine;
        this.audit = audit;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, AuditEvent> context) {
        this.context = context;
        this.states = context.getStateStore(TelemetryStoreNames.RULE_STATE);
        this.devices = context.getStateStore(TelemetryStoreNames.DEVICES);
        this.skipped = new SkippedRecords(metrics);
    }

    @Override
    public void process(Record<String, MuteCommand> record) {
        MuteCommand command = record.value();
        if (command == null || record.key() == null || !record.key().equals(command.getDeviceId())) {
            skipped.skip(context, "mute-not-keyed-by-device-id");
            return;
        }
        long now = context.currentSystemTimeMs();
        String deviceId = command.getDeviceId();
        Device device = devices.get(deviceId);
        if (device == null || !device.getOwnerUserId().equals(command.getUserId())) {
            // No device name, rule or instant in the reason: the user reference and the ids say who tried what.
            forward(entry(AuditKind.SECURITY, command, "refused", now)
                    .text("mute refused: the user does not own the device").build(), record.timestamp());
            metrics.skipped(NOT_OWNER);
            return;
        }
        DeviceState state = Objects.requireNonNullElseGet(states.get(deviceId), DeviceState::new);
        String rule = command.getRule();
        if (!engine.mute(state, rule, command.getMutedUntil().toEpochMilli())) {
            forward(entry(AuditKind.RULE_STATE, command, "UNKNOWN_RULE", now).build(), record.timestamp());
            return;
        }
        states.put(deviceId, state);
        boolean unmuted = !command.getMutedUntil().isAfter(command.getCreatedAt());
        forward(entry(AuditKind.RULE_STATE, command, unmuted ? "UNMUTED" : "MUTED", now).build(), record.timestamp());
    }

    private AuditTrail.Entry entry(AuditKind kind, MuteCommand command, String status, long now) {
        AuditTrail.Entry entry = audit.entry(kind, command.getCommandId() + "/" + status.toLowerCase(java.util.Locale.ROOT),
                        command.getUserId(), now)
                .event(command.getCommandId())
                .conversation(command.getConversationId())
                .status(status)
                .attribute("device", command.getDeviceId())
                .attribute("rule", command.getRule() == null ? "*" : command.getRule())
                .attribute("mutedUntil", command.getMutedUntil().toString());
        if (command.getAlertId() != null) {
            entry.attribute("alert", command.getAlertId());
        }
        return entry;
    }

    private void forward(AuditEvent event, long timestamp) {
        context.forward(new Record<>(event.getConversationId(), event, timestamp));
    }
}
