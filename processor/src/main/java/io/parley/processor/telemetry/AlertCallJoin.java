package io.parley.processor.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.processor.topology.SkippedRecords;
import io.parley.processor.topology.TimeIndexKey;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.Notification;
import io.parley.schemas.NotificationPriority;
import io.parley.schemas.state.AlertAnswer;
import io.parley.schemas.state.AlertCall;
import io.parley.schemas.state.AlertCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
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
 * Where a fired rule's alert meets the answers of its calls. Both come keyed by alert id through one repartition topic
 * ({@code alert-calls-repartition}): the alert as the rule step issued it ({@link RuleCalls#issue}), and each answer
 * read from {@code backend.responses} (where the workers put it, like a turn's) and re-keyed from its request id. So
 * an alert and its answers always meet on one task, whatever the partition counts and partitioners of
 * {@code iot.telemetry} and {@code backend.responses}; the conversation step never sees them.
 *
 * <p>The pending alert is kept in {@code alert-calls} (alert id → {@link AlertCalls}); its deadline is an entry of the
 * ordered index {@code alert-call-deadlines}, which a wall-clock punctuator range-scans, as the conversations' and the
 * rules' deadlines are. When the last answer is in, the notification goes out with the results
 * ({@code results.<call>.<field>}); at the deadline, or when a call failed, it goes out with the rule's fallback
 * template (or the message without the missing results). Once sent, the entry is kept a while so that a repeated
 * or late answer is audited instead of being mistaken for one that came before its alert.
 */
final class AlertCallJoin implements ProcessorSupplier<String, AlertCalls, String, SpecificRecord> {

    /** How long an alert is remembered after its notification, and answers that came before their alert are kept. */
    static final Duration KEEP_AFTER = Duration.ofMinutes(10);
    /** A result larger than this (JSON characters) is not kept: the call counts as failed (RESPONSE_TOO_LARGE). */
    static final int MAX_RESULT_CHARS = 16_384;
    static final int MAX_DUE_PER_PUNCTUATION = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuleCalls calls;
    private final ProcessorMetrics metrics;
    private final Serde<AlertCalls> serde;
    private final Duration checkEvery;

    AlertCallJoin(RuleCalls calls, ProcessorMetrics metrics, Serde<AlertCalls> serde, Duration checkEvery) {
        this.calls = calls;
        this.metrics = metrics;
        this.serde = serde;
        this.checkEvery = checkEvery;
    }

    /** An answer from {@code backend.responses} as it travels to its alert. */
    static AlertCalls answer(BackendResponse response, long now) {
        return AlertCalls.newBuilder()
                .setAlertId(RuleCalls.alertIdOf(response.getRequestId()))
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setAnswer(AlertAnswer.newBuilder()
                        .setRequestId(response.getRequestId())
                        .setConnector(response.getConnector())
                        .setOperation(response.getOperation())
                        .setStatus(response.getStatus().name())
                        .setResult(response.getResult())
                        .setLatencyMs(response.getLatencyMs())
                        .build())
                .build();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TelemetryStoreNames.ALERT_CALLS), Serdes.String(), serde),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TelemetryStoreNames.ALERT_CALL_DEADLINES), Serdes.Bytes(),
                        Serdes.String()));
    }

    @Override
    public Processor<String, AlertCalls, String, SpecificRecord> get() {
        return new Join();
    }

    private final class Join implements Processor<String, AlertCalls, String, SpecificRecord> {

        private ProcessorContext<String, SpecificRecord> context;
        private KeyValueStore<String, AlertCalls> alerts;
        private KeyValueStore<Bytes, String> deadlines;
        private SkippedRecords skipped;

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
            this.alerts = context.getStateStore(TelemetryStoreNames.ALERT_CALLS);
            this.deadlines = context.getStateStore(TelemetryStoreNames.ALERT_CALL_DEADLINES);
            this.skipped = new SkippedRecords(metrics);
            context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, now -> metrics.timePunctuation(() -> fireDue(now)));
        }

        @Override
        public void process(Record<String, AlertCalls> record) {
            AlertCalls value = record.value();
            if (record.key() == null || value == null) {
                skipped.skip(context, "alert-call-without-key");
                return;
            }
            long now = context.currentSystemTimeMs();
            AlertCalls stored = mutable(alerts.get(record.key()));
            value = mutable(value);
            if (value.getAnswer() == null) {
                onAlert(record.key(), stored, value, record.timestamp(), now);
            } else {
                onAnswer(record.key(), stored, value.getAnswer(), record.timestamp(), now);
            }
        }

        private void onAlert(String alertId, AlertCalls stored, AlertCalls alert, long timestamp, long now) {
            if (stored != null && stored.getUserId() != null) {
                // The same alert again (a replay under at-least-once): its calls are under way or answered.
                metrics.duplicate("alert");
                return;
            }
            if (stored != null) {
                // Answers that came before their alert: forget their keep-until entry, apply them now.
                forgetDeadline(alertId, stored);
                for (AlertAnswer early : stored.getEarly()) {
                    Optional<AlertCall> call = pendingCall(alert, early.getRequestId());
                    if (call.isPresent()) {
                        take(alert, call.get(), early, now);
                    }
                }
            }
            alert.setEarly(new ArrayList<>());
            if (alert.getPending().isEmpty()) {
                send(alert, timestamp, now);
                alert.setDeadline(Instant.ofEpochMilli(now).plus(KEEP_AFTER));
            }
            indexDeadline(alertId, alert);
            alerts.put(alertId, alert);
        }

        private void onAnswer(String alertId, AlertCalls stored, AlertAnswer answer, long timestamp, long now) {
            if (stored == null || stored.getUserId() == null) {
                // Before its alert: only possible under at_least_once, where the request may be written before the alert.
                AlertCalls early = stored != null ? stored : AlertCalls.newBuilder().setAlertId(alertId)
                        .setCreatedAt(Instant.ofEpochMilli(now)).setDeadline(Instant.ofEpochMilli(now).plus(KEEP_AFTER)).build();
                if (stored == null) {
                    indexDeadline(alertId, early);
                }
                if (early.getEarly().stream().noneMatch(a -> a.getRequestId().equals(answer.getRequestId()))) {
                    early.getEarly().add(answer);
                }
                alerts.put(alertId, early);
                return;
            }
            Optional<AlertCall> call = pendingCall(stored, answer.getRequestId());
            if (call.isEmpty()) {
                late(stored, answer, now);
                return;
            }
            take(stored, call.get(), answer, now);
            if (stored.getPending().isEmpty()) {
                forgetDeadline(alertId, stored);
                send(stored, timestamp, now);
                stored.setDeadline(Instant.ofEpochMilli(now).plus(KEEP_AFTER));
                indexDeadline(alertId, stored);
            }
            alerts.put(alertId, stored);
        }

        /** An answer nobody waits for: LATE when its call timed out, else a DUPLICATE (a redelivery). */
        private void late(AlertCalls stored, AlertAnswer answer, long now) {
            String call = stored.getFailures().entrySet().stream()
                    .filter(f -> RuleCalls.requestId(stored.getAlertId(), f.getKey()).equals(answer.getRequestId())
                            && f.getValue().equals(BackendStatus.TIMEOUT.name()))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            AuditKind kind = call != null ? AuditKind.LATE : AuditKind.DUPLICATE;
            String position = context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("punctuation");
            forwardAudit(audit(kind, stored, answer.getRequestId(), call == null ? "" : call, answer.getConnector(), answer.getOperation(), now)
                    .status(answer.getStatus())
                    .attribute("delivered", "false")
                    .attribute("position", position)
                    .build(), now);
            if (kind == AuditKind.LATE) {
                metrics.lateAnswer(false);
            } else {
                metrics.duplicate("response");
            }
        }

        private void take(AlertCalls alert, AlertCall call, AlertAnswer answer, long now) {
            alert.getPending().remove(call);
            String status = answer.getStatus();
            if (BackendStatus.OK.name().equals(status)) {
                String result = answer.getResult() == null ? "{}" : answer.getResult();
                if (result.length() > MAX_RESULT_CHARS) {
                    alert.getFailures().put(call.getCall(), "RESPONSE_TOO_LARGE");
                    metrics.resultTooLarge(call.getConnector(), call.getOperation());
                } else {
                    alert.getResults().put(call.getCall(), result);
                }
            } else {
                alert.getFailures().put(call.getCall(), status);
            }
            forwardAudit(audit(AuditKind.BACKEND_RESPONSE, alert, call.getRequestId(), call.getCall(), call.getConnector(),
                    call.getOperation(), now).status(status).latency(answer.getLatencyMs()).build(), now);
        }

        private void fireDue(long now) {
            List<Bytes> read = new ArrayList<>();
            List<String> due = new ArrayList<>();
            try (KeyValueIterator<Bytes, String> entries = deadlines.range(TimeIndexKey.lowest(), TimeIndexKey.dueBy(now))) {
                while (entries.hasNext() && read.size() < MAX_DUE_PER_PUNCTUATION) {
                    KeyValue<Bytes, String> entry = entries.next();
                    read.add(entry.key);
                    due.add(entry.value);
                }
            }
            metrics.indexEntriesRead(TelemetryStoreNames.ALERT_CALL_DEADLINES, read.size());
            read.forEach(deadlines::delete);
            for (String alertId : due) {
                AlertCalls stored = mutable(alerts.get(alertId));
                if (stored == null) {
                    continue;
                }
                if (stored.getDone() || stored.getUserId() == null) {
                    // Sent long enough ago, or answers whose alert never came: forgotten.
                    alerts.delete(alertId);
                    continue;
                }
                for (AlertCall call : stored.getPending()) {
                    stored.getFailures().put(call.getCall(), BackendStatus.TIMEOUT.name());
                    forwardAudit(audit(AuditKind.TIMEOUT, stored, call.getRequestId(), call.getCall(), call.getConnector(),
                            call.getOperation(), now).build(), now);
                    metrics.callTimedOut(call.getConnector(), call.getOperation());
                }
                stored.setPending(new ArrayList<>());
                send(stored, now, now);
                stored.setDeadline(Instant.ofEpochMilli(now).plus(KEEP_AFTER));
                indexDeadline(alertId, stored);
                alerts.put(alertId, stored);
            }
        }

        /** The notification, with the results; with the fallback when a call failed and the rule has one. */
        private void send(AlertCalls alert, long timestamp, long now) {
            Map<String, String> data = new LinkedHashMap<>(alert.getData());
            alert.getResults().forEach((call, json) -> flatten(call, json).forEach(data::put));
            alert.getFailures().forEach((call, status) -> data.put("failed." + call, status));
            boolean failed = !alert.getFailures().isEmpty();
            String template = failed && alert.getFallback() != null ? alert.getFallback() : alert.getTemplate();
            Notification notification = Notification.newBuilder()
                    .setNotificationId(alert.getAlertId())
                    .setUserId(alert.getUserId())
                    .setChannel(null)
                    .setText(null)
                    .setTemplate(template)
                    .setData(data)
                    .setPriority(NotificationPriority.valueOf(alert.getPriority()))
                    .setExpiresAt(null)
                    .setCreatedAt(alert.getCreatedAt())
                    .build();
            alert.setDone(true);
            context.forward(new Record<>(alert.getUserId(), notification, timestamp));
        }

        private void forwardAudit(AuditEvent event, long timestamp) {
            context.forward(new Record<>(event.getUserRef(), event, timestamp));
        }

        private AuditTrail.Entry audit(AuditKind kind, AlertCalls alert, String requestId, String call,
                                       String connector, String operation, long now) {
            return calls.callAudit(kind, alert.getUserId(), alert.getAlertId(), alert.getData().getOrDefault("device.id", ""),
                    alert.getData().getOrDefault("rule.name", ""), requestId, call, connector, operation, now);
        }

        private void indexDeadline(String alertId, AlertCalls alert) {
            deadlines.put(new TimeIndexKey(alert.getDeadline().toEpochMilli(), alertId).toBytes(), alertId);
        }

        private void forgetDeadline(String alertId, AlertCalls alert) {
            if (alert.getDeadline() != null) {
                deadlines.delete(new TimeIndexKey(alert.getDeadline().toEpochMilli(), alertId).toBytes());
            }
        }
    }

    /** Avro's decoded arrays cannot remove elements: a copy the join can change. */
    private static AlertCalls mutable(AlertCalls alert) {
        if (alert == null) {
            return null;
        }
        AlertCalls copy = AlertCalls.newBuilder(alert).build();
        copy.setPending(new ArrayList<>(alert.getPending()));
        copy.setEarly(new ArrayList<>(alert.getEarly()));
        copy.setResults(new LinkedHashMap<>(alert.getResults()));
        copy.setFailures(new LinkedHashMap<>(alert.getFailures()));
        copy.setData(new LinkedHashMap<>(alert.getData()));
        return copy;
    }

    private static Optional<AlertCall> pendingCall(AlertCalls alert, String requestId) {
        return alert.getPending().stream().filter(p -> p.getRequestId().equals(requestId)).findFirst();
    }

    /** A result's top-level fields as {@code results.<call>.<field>} (nested values as JSON); not JSON: nothing. */
    static Map<String, String> flatten(String call, String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            JsonNode node = JSON.readTree(json);
            if (node != null && node.isObject()) {
                node.properties().forEach(field -> fields.put("results." + call + "." + field.getKey(),
                        field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()));
            } else if (node != null && node.isValueNode()) {
                fields.put("results." + call, node.asText());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // A result that is not JSON fills nothing; the message says what it can without it.
        }
        return fields;
    }
}
