package io.parley.processor.telemetry;

import io.micrometer.core.instrument.Counter;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.ops.RefusedRecordException;
import io.parley.processor.topology.SkippedRecords;
import io.parley.processor.topology.TimeIndexKey;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.Device;
import io.parley.schemas.TelemetryEvent;
import io.parley.schemas.state.AlertCalls;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The trigger-rules step: reads {@code iot.telemetry} (keyed by device id), keeps each device's rule state in
 * {@code telemetry-rules}, and emits, for what the rules did, {@link io.parley.schemas.Notification}s keyed by the
 * owner's user id (they join the notification path) and audit records. A wall-clock punctuator range-scans the
 * {@code telemetry-deadlines} index for what is due (absence, silent devices), never every device.
 *
 * <p>The store writes, notifications and audit records of one input are written by one Streams task, so under
 * {@code exactly_once_v2} they commit in one transaction with the input's offset.
 *
 * <p>Malformed measurements (key not the device id, no metric, a value that is not a finite number) are refused to
 * the dead-letter topic with the reason; the stream goes on.
 */
public final class TelemetryRulesProcessorSupplier implements ProcessorSupplier<String, TelemetryEvent, String, SpecificRecord> {

    /** How many due index entries one punctuation handles at most; the rest wait for the next one. */
    static final int MAX_DUE_PER_PUNCTUATION = 10_000;
    static final int MAX_ID_LENGTH = 200;

    private final RuleEngine engine;
    private final Alerts alerts;
    private final RuleCalls calls;
    private final ProcessorMetrics metrics;

    public TelemetryRulesProcessorSupplier(RuleEngine engine, AuditTrail audit, ProcessorMetrics metrics) {
        this.engine = engine;
        this.alerts = new Alerts(audit);
        this.calls = new RuleCalls(audit);
        this.metrics = metrics;
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                // Cached: a device that reports several times between commits is read from memory and written once.
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TelemetryStoreNames.RULE_STATE), Serdes.String(),
                        new DeviceStateSerde()).withCachingEnabled(),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TelemetryStoreNames.DEADLINES), Serdes.Bytes(),
                        Serdes.String()));
    }

    @Override
    public Processor<String, TelemetryEvent, String, SpecificRecord> get() {
        return new RulesProcessor();
    }

    private final class RulesProcessor implements Processor<String, TelemetryEvent, String, SpecificRecord> {

        private ProcessorContext<String, SpecificRecord> context;
        private KeyValueStore<String, DeviceState> states;
        private KeyValueStore<Bytes, String> deadlines;
        private KeyValueStore<String, Device> devices;
        private SkippedRecords skipped;
        private Counter accepted;
        private Counter fired;

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
            this.states = context.getStateStore(TelemetryStoreNames.RULE_STATE);
            this.deadlines = context.getStateStore(TelemetryStoreNames.DEADLINES);
            this.devices = context.getStateStore(TelemetryStoreNames.DEVICES);
            this.skipped = new SkippedRecords(metrics);
            this.accepted = metrics.registry().counter("parley.telemetry.measurements", "intake", "accepted");
            this.fired = metrics.registry().counter("parley.telemetry.alerts");
            context.schedule(engine.book().checkEvery(), PunctuationType.WALL_CLOCK_TIME,
                    now -> metrics.timePunctuation(() -> wake(now)));
        }

        @Override
        public void process(Record<String, TelemetryEvent> record) {
            TelemetryEvent event = record.value();
            if (event == null) {
                skipped.skip(context, "no value");
                return;
            }
            check(record.key(), event);
            if (!engine.watches(event.getMetric())) {
                return;
            }
            String deviceId = event.getDeviceId();
            long now = context.currentSystemTimeMs();
            Device device = devices.get(deviceId);
            DeviceState state = Objects.requireNonNullElseGet(states.get(deviceId), DeviceState::new);
            DeviceState.Marks before = state.marks();
            RuleEngine.Result result = engine.onMeasurement(state, event.getMetric(), event.getValue(),
                    event.getEventTime().toEpochMilli(), thresholds(device), now);
            switch (result.intake()) {
                case DUPLICATE -> {
                    metrics.duplicate("telemetry");
                    return;
                }
                case LATE -> {
                    skipped.skip(context, "telemetry-late");
                    return;
                }
                case ACCEPTED -> accepted.increment();
            }
            states.put(deviceId, state);
            syncDeadlines(deviceId, before, state.marks());
            emit(deviceId, device, result.events(), record.timestamp(), now);
        }

        private void wake(long now) {
            Set<String> due = new LinkedHashSet<>();
            List<Bytes> read = new ArrayList<>();
            try (KeyValueIterator<Bytes, String> entries = deadlines.range(TimeIndexKey.lowest(), TimeIndexKey.dueBy(now))) {
                while (entries.hasNext() && read.size() < MAX_DUE_PER_PUNCTUATION) {
                    KeyValue<Bytes, String> entry = entries.next();
                    read.add(entry.key);
                    due.add(entry.value);
                }
            }
            metrics.indexEntriesRead(TelemetryStoreNames.DEADLINES, read.size());
            read.forEach(deadlines::delete);
            for (String deviceId : due) {
                DeviceState state = states.get(deviceId);
                if (state == null) {
                    continue;
                }
                Device device = devices.get(deviceId);
                DeviceState.Marks before = state.marks();
                List<RuleEngine.RuleEvent> events = engine.onWake(state, thresholds(device), now);
                states.put(deviceId, state);
                syncDeadlines(deviceId, before, state.marks());
                emit(deviceId, device, events, now, now);
            }
        }

        /** Moves the index entries whose due time changed; the references are only built for those (most inputs: none). */
        private void syncDeadlines(String deviceId, DeviceState.Marks before, DeviceState.Marks after) {
            if (before.wakeAt() != after.wakeAt()) {
                move(deviceId, DeviceState.wakeReference(deviceId), before.wakeAt(), after.wakeAt());
            }
            if (before.absences().isEmpty() && after.absences().isEmpty()) {
                return;
            }
            before.absences().forEach((rule, due) -> {
                Long now = after.absences().get(rule);
                if (!due.equals(now)) {
                    move(deviceId, DeviceState.absenceReference(rule, deviceId), due, now == null ? DeviceState.NONE : now);
                }
            });
            after.absences().forEach((rule, due) -> {
                if (!before.absences().containsKey(rule)) {
                    move(deviceId, DeviceState.absenceReference(rule, deviceId), DeviceState.NONE, due);
                }
            });
        }

        private void move(String deviceId, String reference, long from, long to) {
            if (from != DeviceState.NONE) {
                deadlines.delete(new TimeIndexKey(from, reference).toBytes());
            }
            if (to != DeviceState.NONE) {
                deadlines.put(new TimeIndexKey(to, reference).toBytes(), deviceId);
            }
        }

        private void emit(String deviceId, Device device, List<RuleEngine.RuleEvent> events, long timestamp, long now) {
            for (RuleEngine.RuleEvent event : events) {
                if (event.transition() == RuleEngine.Transition.FIRED) {
                    fired.increment();
                    if (device != null && event.rule().makesCalls()) {
                        // The alert waits for its calls' answers in the alert-call join, which sends it.
                        for (SpecificRecord out : calls.issue(deviceId, device, event, now)) {
                            if (out instanceof BackendRequest request) {
                                metrics.requestIssued(request.getConnector(), request.getOperation());
                            }
                            context.forward(new Record<>(key(out), out, timestamp));
                        }
                    } else if (device != null) {
                        context.forward(new Record<>(device.getOwnerUserId(), alerts.notification(deviceId, device, event, now),
                                timestamp));
                    }
                }
                AuditEvent audit = alerts.audit(deviceId, device, event, now);
                context.forward(new Record<>(audit.getUserRef(), audit, timestamp));
            }
        }

        private static String key(SpecificRecord out) {
            if (out instanceof BackendRequest request) {
                return request.getConversationId();
            }
            if (out instanceof AuditEvent audit) {
                return audit.getUserRef();
            }
            return ((AlertCalls) out).getAlertId();
        }

        private static Map<String, Double> thresholds(Device device) {
            return device == null ? Map.of() : device.getThresholds();
        }

        /** Refuses what the rules cannot read; throws before anything is stored. */
        private static void check(String key, TelemetryEvent event) {
            if (event.getDeviceId() == null || event.getDeviceId().isBlank() || event.getDeviceId().length() > MAX_ID_LENGTH) {
                throw new RefusedRecordException("telemetry-bad-device-id", "deviceId is blank or longer than " + MAX_ID_LENGTH);
            }
            if (!event.getDeviceId().equals(key)) {
                throw new RefusedRecordException("telemetry-key-not-device-id",
                        "the record key is not the event's deviceId (iot.telemetry is keyed by device id)");
            }
            if (event.getMetric() == null || event.getMetric().isBlank() || event.getMetric().length() > MAX_ID_LENGTH) {
                throw new RefusedRecordException("telemetry-bad-metric", "metric is blank or longer than " + MAX_ID_LENGTH);
            }
            if (!Double.isFinite(event.getValue())) {
                throw new RefusedRecordException("telemetry-value-not-finite", "value is NaN or infinite");
            }
            if (event.getEventTime() == null || event.getEventTime().toEpochMilli() < 0) {
                throw new RefusedRecordException("telemetry-bad-event-time", "eventTime is before 1970");
            }
        }
    }

    /** Devices by id for the rules: keeps the global {@code devices} store in step with {@code iot.devices}. */
    static final class DeviceTableUpdater implements Processor<String, Device, Void, Void> {

        private final SkippedRecords skipped;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, Device> store;

        DeviceTableUpdater(ProcessorMetrics metrics) {
            this.skipped = new SkippedRecords(metrics);
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore(TelemetryStoreNames.DEVICES);
        }

        @Override
        public void process(Record<String, Device> record) {
            if (record.key() == null) {
                skipped.skip(context, "device-without-key");
            } else if (record.value() == null) {
                store.delete(record.key());
            } else if (!record.key().equals(record.value().getDeviceId())) {
                skipped.skip(context, "device-key-not-device-id");
            } else {
                store.put(record.key(), record.value());
            }
        }
    }

}
