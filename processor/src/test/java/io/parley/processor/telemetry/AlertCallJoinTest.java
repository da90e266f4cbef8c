package io.parley.processor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.ops.ProcessorMetrics;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.Notification;
import io.parley.schemas.state.AlertCall;
import io.parley.schemas.state.AlertCalls;
import io.parley.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert-call join on its own: under at_least_once an answer can reach the join before its alert (the request and
 * the alert are written by one producer to different partitions); the alert still goes out with the result, once.
 */
class AlertCallJoinTest {

    private static final long NOW = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();
    private static final String ALERT = "alert/freezer-1/too-warm/" + NOW;

    private final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    private Processor<String, AlertCalls, String, SpecificRecord> join;

    @BeforeEach
    void start() {
        AvroSerde<AlertCalls> serde = AvroSerde.of(AlertCalls.class, Map.of("schema.registry.url", "mock://join-" + UUID.randomUUID()), false);
        AlertCallJoin supplier = new AlertCallJoin(new RuleCalls(new AuditTrail(new Redactor(), UserReferences.plain())),
                new ProcessorMetrics(new SimpleMeterRegistry()), serde, Duration.ofSeconds(1));
        for (StoreBuilder<?> builder : supplier.stores()) {
            StateStore store = inMemory(builder.name(), serde);
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        context.setCurrentSystemTimeMs(NOW);
        join = supplier.get();
        join.init(context);
    }

    @Test
    void anAnswerBeforeItsAlertIsKeptAndAppliedWhenTheAlertComes() {
        // Given the answer first
        join.process(new Record<>(ALERT, AlertCallJoin.answer(answer(), NOW), NOW));
        assertThat(context.forwarded()).isEmpty();

        // When the alert comes
        join.process(new Record<>(ALERT, alert(), NOW));

        // Then the notification goes out at once, with the result
        List<Notification> sent = forwarded(Notification.class);
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.getTemplate()).isEqualTo("{{results.manager.name}} is on duty.");
            assertThat(n.getData()).containsEntry("results.manager.name", "Maria");
        });
        assertThat(forwarded(AuditEvent.class)).extracting(AuditEvent::getKind).containsExactly(AuditKind.BACKEND_RESPONSE);

        // And the same alert again (a replay) sends nothing
        context.resetForwards();
        join.process(new Record<>(ALERT, alert(), NOW));
        assertThat(context.forwarded()).isEmpty();
    }

    private <T> List<T> forwarded(Class<T> type) {
        return context.forwarded().stream().map(f -> f.record().value()).filter(type::isInstance).map(type::cast).toList();
    }

    private static BackendResponse answer() {
        return BackendResponse.newBuilder().setRequestId(ALERT + "/call/manager").setConversationId(ALERT).setConnector("shop")
                .setOperation("managerOnDuty").setStatus(BackendStatus.OK).setResult("{\"name\":\"Maria\"}").setError(null)
                .setLatencyMs(5).setAttempts(1).setCompletedAt(Instant.ofEpochMilli(NOW)).build();
    }

    private static AlertCalls alert() {
        Map<String, String> data = new LinkedHashMap<>(Map.of("device.id", "freezer-1", "rule.name", "too-warm"));
        return AlertCalls.newBuilder().setAlertId(ALERT).setUserId("alice").setTemplate("{{results.manager.name}} is on duty.")
                .setFallback("Call the store.").setPriority("HIGH").setData(data).setDeadline(Instant.ofEpochMilli(NOW + 5_000))
                .setCreatedAt(Instant.ofEpochMilli(NOW))
                .setPending(new ArrayList<>(List.of(AlertCall.newBuilder().setRequestId(ALERT + "/call/manager").setCall("manager")
                        .setConnector("shop").setOperation("managerOnDuty").build())))
                .build();
    }

    private static StateStore inMemory(String name, AvroSerde<AlertCalls> serde) {
        if (name.equals(TelemetryStoreNames.ALERT_CALLS)) {
            KeyValueStore<String, AlertCalls> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                    serde).withLoggingDisabled().build();
            return store;
        }
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(),
                Serdes.String()).withLoggingDisabled().build();
    }
}
