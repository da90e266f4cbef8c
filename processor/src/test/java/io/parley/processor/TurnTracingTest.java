package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.runtime.tracing.Tracing;
import io.parley.runtime.tracing.TracingSettings;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.TurnTrace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A turn's trace in the processor: the channel's traceparent in, a turn span under it, a request
 * span per backend call, the context in the headers of requests, replies and audit records.
 */
class TurnTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String GATEWAY_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + GATEWAY_SPAN + "-01";
    private static final AttributeKey<String> INTENT = AttributeKey.stringKey("parley.intent");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("parley.outcome");
    private static final AttributeKey<String> STATUS = AttributeKey.stringKey("parley.status");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private ProcessorDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private ProcessorDriver traced() {
        driver = ProcessorDriver.traced(Tracing.exportingTo(spans, TracingSettings.off("parley-processor").on()), "flows/demo-shop.yaml");
        return driver;
    }

    private static Headers traceparent(String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", value.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private ChatEvent say(String text, Headers headers) {
        return driver.send(driver.event(ProcessorDriver.CONVERSATION, ProcessorDriver.USER, ChatEventType.MESSAGE, text).build(), headers);
    }

    private static String header(TestRecord<?, ?> record) {
        var header = record.headers().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String spanIdOf(String traceparent) {
        return traceparent.split("-")[2];
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }

    @Test
    void aTurnWithTwoParallelCallsIsOneTraceUnderTheChannelsSpan() {
        // Given tracing on and a chat event under the gateway's span
        traced();
        say("is MUG-01 in stock", traceparent(TRACEPARENT));

        // When both backend calls are answered
        List<TestRecord<String, BackendRequest>> requests = driver.requestRecords();
        assertThat(requests).hasSize(2);
        driver.advance(Duration.ofMillis(300));
        driver.answer(requests.get(1).value(), DemoResults.STORE_HOURS);
        driver.answer(requests.get(0).value(), DemoResults.INVENTORY_MUG);

        // Then the turn span is a child of the gateway's span, from the event to the reply
        SpanData turn = span("turn");
        assertThat(turn.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(turn.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
        assertThat(turn.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(turn.getAttributes().get(INTENT)).isEqualTo("stock-check");
        assertThat(turn.getAttributes().get(OUTCOME)).isEqualTo("ANSWER");
        assertThat(turn.getEndEpochNanos() - turn.getStartEpochNanos()).isEqualTo(Duration.ofMillis(300).toNanos());
        // and each request record carries its own request span, a child of the turn span
        SpanData inventory = span("request shop-api.getInventory");
        SpanData hours = span("request shop-api.getStoreHours");
        assertThat(List.of(inventory, hours)).allSatisfy(request -> {
            assertThat(request.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(request.getParentSpanId()).isEqualTo(turn.getSpanId());
            assertThat(request.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(request.getAttributes().get(STATUS)).isEqualTo("OK");
        });
        assertThat(requests).extracting(TurnTracingTest::header).allSatisfy(value -> assertThat(value).startsWith("00-" + TRACE_ID + "-"));
        assertThat(requests).extracting(r -> spanIdOf(header(r)))
                .containsExactly(inventory.getSpanId(), hours.getSpanId());
        // and the reply carries the turn's context
        List<TestRecord<String, ChatReply>> replies = driver.replyRecords();
        assertThat(replies).hasSize(1);
        assertThat(header(replies.get(0))).isEqualTo("00-" + TRACE_ID + "-" + turn.getSpanId() + "-01");
        assertThat(driver.auditRecords()).extracting(TurnTracingTest::header)
                .allSatisfy(value -> assertThat(value).contains(TRACE_ID));
        // and no slot value appears in any span
        assertThat(spans.getFinishedSpanItems()).hasSize(3)
                .allSatisfy(span -> assertThat(span.toString()).doesNotContain("MUG-01"));
    }

    @Test
    void theTurnsContextIsInItsStateBetweenRecordsNotInMemory() {
        // Given a turn waiting for its backend
        traced();
        say("where is my order 1001", traceparent(TRACEPARENT));
        String request = header(driver.requestRecords().get(0));

        // Then its trace is stored with the turn, and no span is recorded yet
        TurnTrace trace = driver.session(ProcessorDriver.CONVERSATION).getTurn().getTrace();
        assertThat(trace.getTraceParent()).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
        assertThat(trace.getParentSpanId()).isEqualTo(GATEWAY_SPAN);
        assertThat(spans.getFinishedSpanItems()).isEmpty();

        // When the deadline passes without an answer
        driver.advance(Duration.ofSeconds(9));

        // Then the turn span ends with the fallback, with the id its request was given
        SpanData turn = span("turn");
        assertThat(turn.getAttributes().get(OUTCOME)).isEqualTo(ReplyKind.FALLBACK.name());
        assertThat(trace.getTraceParent()).isEqualTo("00-" + TRACE_ID + "-" + turn.getSpanId() + "-01");
        assertThat(driver.replyRecords()).extracting(TurnTracingTest::header)
                .containsOnly("00-" + TRACE_ID + "-" + turn.getSpanId() + "-01");
        assertThat(request).isNotEqualTo(trace.getTraceParent()).startsWith("00-" + TRACE_ID);
    }

    @Test
    void aChannelWithoutTraceparentGetsANewTraceRootedAtTheTurn() {
        traced();
        driver.say("tell me a joke");

        SpanData turn = span("turn");
        assertThat(turn.getParentSpanContext().isValid()).isFalse();
        assertThat(turn.getAttributes().get(OUTCOME)).isEqualTo(ReplyKind.FALLBACK.name());
        assertThat(driver.replyRecords()).extracting(TurnTracingTest::header)
                .containsOnly("00-" + turn.getTraceId() + "-" + turn.getSpanId() + "-01");
    }

    @Test
    void offAnIncomingContextPassesToTheRequestsUnchangedAndNoneIsAddedWithoutOne() {
        // Given tracing off
        driver = ProcessorDriver.demoShop();

        // When one question comes with a traceparent and one without
        say("is MUG-01 in stock", traceparent(TRACEPARENT));
        List<TestRecord<String, BackendRequest>> traced = driver.requestRecords();
        driver.say(ProcessorDriver.CONVERSATION + "-2", ProcessorDriver.USER, "is MUG-01 in stock");
        List<TestRecord<String, BackendRequest>> untraced = driver.requestRecords();

        // Then the first's requests carry the channel's context as it came, the second's none
        assertThat(traced).extracting(TurnTracingTest::header).containsOnly(TRACEPARENT);
        assertThat(untraced).hasSize(2).allSatisfy(record -> assertThat(record.headers().toArray()).isEmpty());
        assertThat(driver.session(ProcessorDriver.CONVERSATION + "-2").getTurn().getTrace()).isNull();
    }

    @Test
    void aNotificationsReplyCarriesTheContextItCameWithAndNoOtherHeader() {
        // Given a user the directory knows, and tracing off
        driver = ProcessorDriver.demoShop();
        driver.say("tell me a joke");
        driver.replies();
        Headers headers = traceparent(TRACEPARENT);
        headers.add("x-producer-secret", "do-not-copy".getBytes(StandardCharsets.UTF_8));

        // When a notification comes with a trace context, and one without
        driver.notify(driver.notification("n-1", ProcessorDriver.USER, "Your order has shipped.", null), headers);
        driver.notify(driver.notification("n-2", ProcessorDriver.USER, "Your order has arrived.", null), new RecordHeaders());

        // Then the first's reply carries that context and nothing else of the producer's; the second's none
        List<TestRecord<String, ChatReply>> replies = driver.replyRecords();
        assertThat(replies).hasSize(2);
        assertThat(header(replies.get(0))).isEqualTo(TRACEPARENT);
        assertThat(replies.get(0).headers().lastHeader("x-producer-secret")).isNull();
        assertThat(replies.get(1).headers().toArray()).isEmpty();
    }

    @Test
    void aRecordOfNoTurnPassesTheChannelsContextOn() {
        traced();
        ChatEvent first = say("where is my order 1001", traceparent(TRACEPARENT));
        driver.requestRecords();
        driver.auditRecords();

        // When the same event arrives again (a duplicate)
        driver.send(first, traceparent(TRACEPARENT));

        // Then its audit record carries the turn's trace
        List<TestRecord<String, AuditEvent>> audit = driver.auditRecords();
        assertThat(audit).isNotEmpty().extracting(TurnTracingTest::header).allSatisfy(value -> assertThat(value).contains(TRACE_ID));
    }
}
