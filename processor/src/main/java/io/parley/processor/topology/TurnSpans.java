package io.parley.processor.topology;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatReply;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import io.parley.schemas.state.TurnTrace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The spans of turns and backend requests, and the trace context of the records a turn writes.
 *
 * <p>A turn spans several records (its chat event, the answers of its calls, a deadline) and may
 * end on another instance after a crash or a rebalance, so no span object is kept between records.
 * When a chat event starts a turn, the turn's span context is chosen (a child of the channel's
 * {@code traceparent}, or a new trace) and stored with the turn ({@link TurnTrace}); each backend
 * request carries a child of it whose id is derived from the request id. When a request is
 * answered its span is recorded with the time it was issued; when the turn ends its span is
 * recorded with the time it began. Both get exactly the ids handed out earlier, so the worker's call
 * spans and the reply hang under them in one trace.
 *
 * <p>Attributes name the intent, connector, operation and statuses, never slot values or text.
 */
final class TurnSpans {

    static final AttributeKey<String> INTENT = AttributeKey.stringKey("parley.intent");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("parley.outcome");
    static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("parley.channel");
    static final AttributeKey<String> CONNECTOR = AttributeKey.stringKey("parley.connector");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("parley.operation");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("parley.status");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("parley.attempts");
    static final AttributeKey<Boolean> LATE = AttributeKey.booleanKey("parley.late");

    /** The outcome of a turn replaced by a new intent before it was answered. */
    static final String SUPERSEDED = "SUPERSEDED";
    /** The outcome of a turn whose conversation was erased or expired. */
    static final String DROPPED = "DROPPED";

    private final Tracing tracing;

    TurnSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    /**
     * The trace of a turn this chat event would start: under the context in its headers, begun now.
     * Its trace is null when there is nothing to carry (tracing off and no context from the channel).
     */
    Started begin(String eventId, Headers eventHeaders, long now) {
        SpanContext caller = Span.fromContext(tracing.extract(eventHeaders)).getSpanContext();
        SpanContext turn = tracing.begin(caller);
        if (!turn.isValid()) {
            return new Started(eventId, null, caller);
        }
        boolean child = caller.isValid() && !caller.getSpanId().equals(turn.getSpanId());
        return new Started(eventId, traceOf(turn, child ? caller.getSpanId() : null, now), caller);
    }

    private TurnTrace traceOf(SpanContext turn, String parentSpanId, long now) {
        Map<String, String> w3c = tracing.headersOf(turn);
        return TurnTrace.newBuilder()
                .setTraceParent(w3c.get("traceparent"))
                .setTraceState(w3c.get("tracestate"))
                .setParentSpanId(parentSpanId)
                .setStartedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /**
     * Follows one handled input: gives a turn the event started its trace, records the spans of what
     * ended (an answered request, a finished turn), and says which trace context each output record carries.
     *
     * @param before the stored session (null: none)
     * @param after the session to store, changed in place (null: deleted)
     * @param event the chat event's id and the trace its turn would have; null for other inputs
     * @param response the backend answer handled, if that was the input
     * @param now the processor's clock
     */
    Step follow(Session before, Session after, Started event, BackendResponse response, long now) {
        Turn previous = before == null ? null : before.getTurn();
        Turn current = after == null ? null : after.getTurn();
        boolean starts = event != null && event.trace() != null
                && (previous == null || !previous.getEventId().equals(event.eventId()))
                && (sameTurn(event.eventId(), current) || (after != null && summary(after, event.eventId()).isPresent()));
        if (starts && sameTurn(event.eventId(), current) && current.getTrace() == null) {
            current.setTrace(event.trace());
        }
        Map<String, TurnTrace> traces = new HashMap<>();
        collect(traces, before);
        collect(traces, after);
        if (starts) {
            traces.putIfAbsent(event.eventId(), event.trace());
        }
        if (response != null && before != null) {
            answered(before, response, now);
        }
        ended(before, after, starts ? event : null, now);
        // Records of no turn (a duplicate, a refusal) pass the channel's context on; those of a turn, the turn's.
        SpanContext otherwise = current != null && current.getTrace() != null ? spanOf(current.getTrace())
                : previous != null && previous.getTrace() != null ? spanOf(previous.getTrace())
                : event == null ? SpanContext.getInvalid() : event.caller();
        return new Step(traces, otherwise);
    }

    /** The records of an input that no session saw (a refused or oversized event): the channel's context, passed on. */
    Step passOn(Started event) {
        return new Step(Map.of(), event.caller());
    }

    private void answered(Session before, BackendResponse response, long now) {
        List<Turn> turns = new ArrayList<>();
        if (before.getTurn() != null) {
            turns.add(before.getTurn());
        }
        turns.addAll(before.getLateTurns());
        for (Turn turn : turns) {
            for (PendingCall call : turn.getPending()) {
                if (call.getRequestId().equals(response.getRequestId()) && turn.getTrace() != null) {
                    SpanContext turnSpan = spanOf(turn.getTrace());
                    SpanContext request = tracing.derive(turnSpan, call.getRequestId());
                    tracing.record("request " + call.getConnector() + "." + call.getOperation(), SpanKind.PRODUCER, request,
                            turnSpan, call.getIssuedAt().toEpochMilli(), now, Attributes.builder()
                                    .put(CONNECTOR, call.getConnector())
                                    .put(OPERATION, call.getOperation())
                                    .put(STATUS, response.getStatus().name())
                                    .put(ATTEMPTS, (long) response.getAttempts())
                                    .put(LATE, turn != before.getTurn())
                                    .build());
                    return;
                }
            }
        }
    }

    private void ended(Session before, Session after, Started event, long now) {
        Turn current = after == null ? null : after.getTurn();
        Turn previous = before == null ? null : before.getTurn();
        if (previous != null && !sameTurn(previous.getEventId(), current)) {
            String outcome = after == null ? DROPPED : summary(after, previous.getEventId()).map(TurnSummary::getOutcome).orElse(SUPERSEDED);
            recordTurn(previous.getTrace(), previous.getIntent(), outcome, before.getChannel(), now);
        }
        if (event != null && after != null && !sameTurn(event.eventId(), current)) {
            // Started and finished by this event (no match, a reply without backend calls).
            summary(after, event.eventId()).ifPresent(summary ->
                    recordTurn(event.trace(), summary.getIntent(), summary.getOutcome(), after.getChannel(), now));
        }
    }

    private void recordTurn(TurnTrace trace, String intent, String outcome, String channel, long now) {
        if (trace == null) {
            return;
        }
        SpanContext self = spanOf(trace);
        AttributesBuilder attributes = Attributes.builder().put(OUTCOME, outcome).put(CHANNEL, channel);
        if (intent != null) {
            attributes.put(INTENT, intent);
        }
        tracing.record("turn", SpanKind.CONSUMER, self, callerOf(trace, self), trace.getStartedAt().toEpochMilli(), now,
                attributes.build());
    }

    private static boolean sameTurn(String eventId, Turn current) {
        return current != null && current.getEventId().equals(eventId);
    }

    private static Optional<TurnSummary> summary(Session session, String eventId) {
        List<TurnSummary> recent = session.getRecentTurns();
        for (int i = recent.size() - 1; i >= 0; i--) {
            if (recent.get(i).getEventId().equals(eventId)) {
                return Optional.of(recent.get(i));
            }
        }
        return Optional.empty();
    }

    private static void collect(Map<String, TurnTrace> traces, Session session) {
        if (session == null) {
            return;
        }
        if (session.getTurn() != null && session.getTurn().getTrace() != null) {
            traces.put(session.getTurn().getEventId(), session.getTurn().getTrace());
        }
        for (Turn late : session.getLateTurns()) {
            if (late.getTrace() != null) {
                traces.putIfAbsent(late.getEventId(), late.getTrace());
            }
        }
    }

    private SpanContext spanOf(TurnTrace trace) {
        return tracing.spanContextOf(trace.getTraceParent(), trace.getTraceState());
    }

    private static SpanContext callerOf(TurnTrace trace, SpanContext self) {
        if (trace.getParentSpanId() == null) {
            return SpanContext.getInvalid();
        }
        return SpanContext.createFromRemoteParent(self.getTraceId(), trace.getParentSpanId(), self.getTraceFlags(),
                self.getTraceState());
    }

    /**
     * A chat event being handled: the trace a turn it starts gets (null when there is none), and the
     * context it came with (invalid when none).
     */
    record Started(String eventId, TurnTrace trace, SpanContext caller) {
    }

    /** The trace context of each record one input writes. */
    final class Step {

        private final Map<String, TurnTrace> traces;
        private final SpanContext fallback;

        private Step(Map<String, TurnTrace> traces, SpanContext fallback) {
            this.traces = traces;
            this.fallback = fallback;
        }

        /**
         * Headers for an output record: a request carries its request span's context, a reply and an
         * audit record their turn's; none when the record belongs to no traced turn.
         */
        Headers headersFor(SpecificRecord record) {
            RecordHeaders headers = new RecordHeaders();
            SpanContext context = contextOf(record);
            if (context.isValid()) {
                tracing.inject(context, headers);
            }
            return headers;
        }

        private SpanContext contextOf(SpecificRecord record) {
            if (record instanceof BackendRequest request) {
                TurnTrace turn = traces.get(request.getEventId());
                return turn == null ? SpanContext.getInvalid() : tracing.derive(spanOf(turn), request.getRequestId());
            }
            String eventId = record instanceof ChatReply reply ? reply.getInReplyTo()
                    : record instanceof AuditEvent audit ? audit.getEventId() : null;
            TurnTrace turn = eventId == null ? null : traces.get(eventId);
            return turn == null ? fallback : spanOf(turn);
        }
    }
}
