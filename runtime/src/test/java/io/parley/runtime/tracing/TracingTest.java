package io.parley.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingTest {

    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Tracing tracing = Tracing.exportingTo(exporter, TracingSettings.off("test").on());

    @AfterEach
    void close() {
        tracing.close();
    }

    private static Headers headers(String traceparent, String tracestate) {
        Headers headers = new RecordHeaders();
        headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        if (tracestate != null) {
            headers.add("tracestate", tracestate.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static String header(Headers headers, String key) {
        return headers.lastHeader(key) == null ? null : new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void extractsTraceparentAndTracestateFromKafkaHeaders() {
        // Given a record with W3C trace context in its headers
        Headers headers = headers(PARENT, "vendor=abc");

        // When it is extracted
        SpanContext span = Span.fromContext(tracing.extract(headers)).getSpanContext();

        // Then trace, span, flags and state are those of the header
        assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(span.getSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(span.isSampled()).isTrue();
        assertThat(span.isRemote()).isTrue();
        assertThat(span.getTraceState().get("vendor")).isEqualTo("abc");
    }

    @Test
    void aMissingOrMalformedTraceparentIsNoContext() {
        assertThat(Span.fromContext(tracing.extract(new RecordHeaders())).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(tracing.extract(headers("00-nonsense-01", null))).getSpanContext().isValid()).isFalse();
    }

    @Test
    void injectReplacesAnEarlierContextInTheHeaders() {
        // Given headers that already carry a context
        Headers headers = headers(PARENT, null);
        SpanContext child = tracing.begin(Span.fromContext(tracing.extract(headers)).getSpanContext());

        // When a child's context is injected
        tracing.inject(child, headers);

        // Then exactly one traceparent is there, the child's, in the same trace
        assertThat(headers.headers("traceparent")).hasSize(1);
        assertThat(header(headers, "traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-" + child.getSpanId() + "-01")
                .isNotEqualTo(PARENT);
    }

    @Test
    void aSpanRecordedAfterTheFactHasTheIdsHandedOutWhenItBegan() {
        // Given a turn that began under a caller's span, and a request derived from the turn
        SpanContext caller = tracing.spanContextOf(PARENT, null);
        SpanContext turn = tracing.begin(caller);
        SpanContext request = tracing.derive(turn, "request-1");

        // When both are recorded later
        tracing.record("request", SpanKind.PRODUCER, request, turn, 1_000, 1_500, Attributes.of(AttributeKey.stringKey("k"), "v"));
        tracing.record("turn", SpanKind.CONSUMER, turn, caller, 900, 2_000, Attributes.empty());

        // Then the exported spans carry exactly those ids, parents and times
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(2);
        SpanData requestSpan = spans.get(0);
        SpanData turnSpan = spans.get(1);
        assertThat(turnSpan.getSpanContext()).isEqualTo(SpanContext.create(turn.getTraceId(), turn.getSpanId(),
                turn.getTraceFlags(), turn.getTraceState()));
        assertThat(turnSpan.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(turnSpan.getStartEpochNanos()).isEqualTo(900_000_000L);
        assertThat(turnSpan.getEndEpochNanos()).isEqualTo(2_000_000_000L);
        assertThat(requestSpan.getSpanId()).isEqualTo(request.getSpanId());
        assertThat(requestSpan.getParentSpanId()).isEqualTo(turn.getSpanId());
        assertThat(requestSpan.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(requestSpan.getAttributes().get(AttributeKey.stringKey("k"))).isEqualTo("v");
        // and a derived id is the same when worked out again
        assertThat(tracing.derive(turn, "request-1")).isEqualTo(request);
        assertThat(tracing.derive(turn, "request-2").getSpanId()).isNotEqualTo(request.getSpanId());
    }

    @Test
    void withoutACallerATurnStartsANewSampledTrace() {
        SpanContext root = tracing.begin(SpanContext.getInvalid());

        tracing.record("turn", SpanKind.CONSUMER, root, SpanContext.getInvalid(), 0, 1, Attributes.empty());

        assertThat(root.isValid()).isTrue();
        assertThat(root.isSampled()).isTrue();
        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertThat(span.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(span.getSpanId()).isEqualTo(root.getSpanId());
        assertThat(span.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aRatioOfZeroSamplesNoNewTraceButFollowsASampledCaller() {
        try (Tracing never = Tracing.exportingTo(exporter, new TracingSettings(true, TracingSettings.DEFAULT_ENDPOINT, 0.0, "t"))) {
            SpanContext root = never.begin(SpanContext.getInvalid());
            SpanContext child = never.begin(never.spanContextOf(PARENT, null));

            never.record("root", SpanKind.CONSUMER, root, SpanContext.getInvalid(), 0, 1, Attributes.empty());
            never.record("child", SpanKind.CONSUMER, child, never.spanContextOf(PARENT, null), 0, 1, Attributes.empty());

            assertThat(root.isSampled()).isFalse();
            assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("child");
        }
    }

    @Test
    void offPassesAnIncomingContextOnUnchangedAndAddsNoneOfItsOwn() {
        try (Tracing off = Tracing.off()) {
            // Given a record with a context and one without
            Context incoming = off.extract(headers(PARENT, null));
            SpanContext passed = off.begin(Span.fromContext(incoming).getSpanContext());
            Headers out = new RecordHeaders();
            Headers none = new RecordHeaders();

            // When their follow-ups are written
            off.inject(off.derive(passed, "request-1"), out);
            off.inject(off.begin(SpanContext.getInvalid()), none);
            off.record("turn", SpanKind.CONSUMER, passed, SpanContext.getInvalid(), 0, 1, Attributes.empty());

            // Then the caller's context passes unchanged, nothing new appears and nothing is recorded
            assertThat(off.enabled()).isFalse();
            assertThat(header(out, "traceparent")).isEqualTo(PARENT);
            assertThat(none.toArray()).isEmpty();
            assertThat(exporter.getFinishedSpanItems()).isEmpty();
        }
    }
}
