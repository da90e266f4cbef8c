package io.parley.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.runtime.tracing.Tracing;
import io.parley.runtime.tracing.TracingSettings;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import io.parley.serde.AvroTrust;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Turn and request spans worked out from stored state alone, wherever the turn ends. */
class TurnSpansTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static {
        // Building Avro records with nested records needs the schema classes trusted, as the serde does.
        AvroTrust.ensureTrusted();
    }

    private final InMemorySpanExporter firstExporter = InMemorySpanExporter.create();
    private final InMemorySpanExporter secondExporter = InMemorySpanExporter.create();
    private final Tracing firstInstance = Tracing.exportingTo(firstExporter, TracingSettings.off("p").on());
    private final Tracing secondInstance = Tracing.exportingTo(secondExporter, TracingSettings.off("p").on());

    @AfterEach
    void close() {
        firstInstance.close();
        secondInstance.close();
    }

    private static Session session(Turn turn) {
        return Session.newBuilder().setConversationId("c").setUserId("u").setChannel("web").setTurn(turn)
                .setRecentTurns(new ArrayList<>()).setStartedAt(Instant.EPOCH).setLastActiveAt(Instant.EPOCH).build();
    }

    private static Turn turn(PendingCall... pending) {
        return Turn.newBuilder().setEventId("evt-1").setIntent("order-status").setStartedAt(Instant.EPOCH)
                .setPending(new ArrayList<>(List.of(pending))).build();
    }

    private static PendingCall call(String requestId) {
        return PendingCall.newBuilder().setRequestId(requestId).setCall("order").setConnector("shop-api")
                .setOperation("getOrder").setStep(0).setDeadline(Instant.ofEpochMilli(10_000)).setIssuedAt(Instant.ofEpochMilli(1_000))
                .build();
    }

    private static Headers channel() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String traceparent(Headers headers) {
        return new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
    }

    @Test
    void aTurnBegunOnOneInstanceEndsOnAnotherWithTheIdsHandedOut() {
        // Given a turn begun on the first instance, its request sent with its header
        TurnSpans first = new TurnSpans(firstInstance);
        TurnSpans.Started started = first.begin("evt-1", channel(), 1_000);
        Session afterEvent = session(turn(call("req-1")));
        TurnSpans.Step step = first.follow(null, afterEvent, started, null, 1_000);
        BackendRequest request = BackendRequest.newBuilder().setRequestId("req-1").setConversationId("c").setUserId("u")
                .setEventId("evt-1").setConnector("shop-api").setOperation("getOrder").setParams(Map.of())
                .setDeadline(Instant.ofEpochMilli(10_000)).setAttempt(1).setCreatedAt(Instant.ofEpochMilli(1_000)).build();
        String requestHeader = traceparent(step.headersFor(request));

        // When the answer arrives at the second instance (after a rebalance), which only has the stored session
        TurnSpans second = new TurnSpans(secondInstance);
        Session stored = Session.newBuilder(afterEvent).build();
        Session answered = session(null);
        answered.getRecentTurns().add(TurnSummary.newBuilder().setEventId("evt-1").setIntent("order-status")
                .setOutcome("ANSWER").setAt(Instant.ofEpochMilli(1_400)).build());
        BackendResponse response = BackendResponse.newBuilder().setRequestId("req-1").setConversationId("c")
                .setConnector("shop-api").setOperation("getOrder").setStatus(BackendStatus.OK).setLatencyMs(5).setAttempts(2)
                .setCompletedAt(Instant.ofEpochMilli(1_400)).build();
        second.follow(stored, answered, null, response, 1_500);

        // Then the second instance records both spans with the ids the first one handed out
        assertThat(firstExporter.getFinishedSpanItems()).isEmpty();
        List<SpanData> spans = secondExporter.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getName).containsExactly("request shop-api.getOrder", "turn");
        SpanData requestSpan = spans.get(0);
        SpanData turnSpan = spans.get(1);
        assertThat(requestHeader).isEqualTo("00-" + requestSpan.getTraceId() + "-" + requestSpan.getSpanId() + "-01");
        assertThat(stored.getTurn().getTrace().getTraceParent())
                .isEqualTo("00-" + turnSpan.getTraceId() + "-" + turnSpan.getSpanId() + "-01");
        assertThat(turnSpan.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(requestSpan.getParentSpanId()).isEqualTo(turnSpan.getSpanId());
        assertThat(requestSpan.getStartEpochNanos()).isEqualTo(1_000_000_000L);
        assertThat(requestSpan.getAttributes().get(TurnSpans.ATTEMPTS)).isEqualTo(2L);
        assertThat(turnSpan.getStartEpochNanos()).isEqualTo(1_000_000_000L);
        assertThat(turnSpan.getEndEpochNanos()).isEqualTo(1_500_000_000L);
        assertThat(turnSpan.getAttributes().get(TurnSpans.OUTCOME)).isEqualTo("ANSWER");
    }

    @Test
    void aTurnReplacedByANewIntentEndsSuperseded() {
        TurnSpans spans = new TurnSpans(firstInstance);
        Session waiting = session(turn(call("req-1")));
        spans.follow(null, waiting, spans.begin("evt-1", channel(), 0), null, 0);
        Session next = session(Turn.newBuilder(turn()).setEventId("evt-2").build());

        spans.follow(waiting, next, spans.begin("evt-2", new RecordHeaders(), 50), null, 50);

        SpanData superseded = firstExporter.getFinishedSpanItems().get(0);
        assertThat(superseded.getAttributes().get(TurnSpans.OUTCOME)).isEqualTo(TurnSpans.SUPERSEDED);
        assertThat(next.getTurn().getTrace()).isNotNull();
        assertThat(next.getTurn().getTrace().getParentSpanId()).isNull();
    }
}
