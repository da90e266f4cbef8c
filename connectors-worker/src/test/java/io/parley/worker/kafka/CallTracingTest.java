package io.parley.worker.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.runtime.tracing.Tracing;
import io.parley.runtime.tracing.TracingSettings;
import io.parley.schemas.BackendRequest;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import io.parley.worker.Connectors;
import io.parley.worker.WireMocks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The span of a backend call, and the trace context passed to the backend and back in the response record. */
class CallTracingTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String REQUEST_SPAN = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + REQUEST_SPAN + "-01";
    private static final String SLOT_VALUE = "A-4711-private";

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private final Topics topics = Topics.create(TopicNames.defaults(), InMemorySchemaRegistry.forScope("call-tracing-" + UUID.randomUUID()));
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private Connectors connectors;
    private Tracing tracing;

    @AfterEach
    void close() {
        if (connectors != null) {
            connectors.close();
        }
        if (tracing != null) {
            tracing.close();
        }
    }

    private RecordProcessor processor(Tracing with) {
        tracing = with;
        connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    retry: {maxAttempts: 1}
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(shop.baseUrl())).build();
        return new RecordProcessor(connectors, topics.backendRequests(), topics.backendResponses(),
                topics.workerDeadLetters().name(), producer, Runnable::run, new WorkerMetrics(new SimpleMeterRegistry()),
                duration -> { }, 1 << 20, with);
    }

    private ConsumerRecord<byte[], byte[]> recordOf(BackendRequest request, String traceparent) {
        byte[] value = topics.backendRequests().valueSerde().serializer().serialize(topics.names().backendRequests(), request);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topics.names().backendRequests(), 0, 7,
                request.getConversationId().getBytes(StandardCharsets.UTF_8), value);
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aCallIsASpanUnderTheRequestItsContextGoesToTheBackendAndBack() throws Exception {
        // Given tracing on, a backend, and a request record under the processor's request span
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\":\"shipped\"}")));
        RecordProcessor processor = processor(Tracing.exportingTo(spans, TracingSettings.off("parley-worker").on()));
        BackendRequest request = request("shop-api", "getOrder", Map.of("orderId", SLOT_VALUE));

        // When the worker answers it
        Disposition disposition = processor.process(recordOf(request, TRACEPARENT)).get();

        // Then one CLIENT span, child of the request span, says connector, operation, status and attempts
        assertThat(disposition).isEqualTo(Disposition.ANSWERED);
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).hasSize(1);
        SpanData call = finished.get(0);
        assertThat(call.getName()).isEqualTo("call shop-api.getOrder");
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(call.getParentSpanId()).isEqualTo(REQUEST_SPAN);
        assertThat(call.getAttributes().get(CallSpans.CONNECTOR)).isEqualTo("shop-api");
        assertThat(call.getAttributes().get(CallSpans.OPERATION)).isEqualTo("getOrder");
        assertThat(call.getAttributes().get(CallSpans.STATUS)).isEqualTo("OK");
        assertThat(call.getAttributes().get(CallSpans.ATTEMPTS)).isEqualTo(1L);
        // and neither the slot value nor the URL (which holds it) is in the span
        assertThat(call.toString()).doesNotContain(SLOT_VALUE).doesNotContain("/orders/");
        // and the backend got the call span's traceparent
        String expected = "00-" + TRACE_ID + "-" + call.getSpanId() + "-01";
        shop.verify(getRequestedFor(urlPathMatching("/orders/.*")).withHeader("traceparent", equalTo(expected)));
        // and the response record carries it back
        assertThat(header(producer.history().get(0), "traceparent")).isEqualTo(expected);
    }

    @Test
    void aFailedCallIsAnErrorSpan() throws Exception {
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(com.github.tomakehurst.wiremock.client.WireMock.notFound()));
        RecordProcessor processor = processor(Tracing.exportingTo(spans, TracingSettings.off("parley-worker").on()));

        processor.process(recordOf(request("shop-api", "getOrder", Map.of("orderId", "1")), TRACEPARENT)).get();

        SpanData call = spans.getFinishedSpanItems().get(0);
        assertThat(call.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(call.getAttributes().get(CallSpans.STATUS)).isEqualTo("NOT_FOUND");
    }

    @Test
    void offTheRequestsContextPassesToTheBackendUnchangedAndNoneIsMadeUp() throws Exception {
        // Given tracing off
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{}")));
        RecordProcessor processor = processor(Tracing.off());

        // When a request with a context and one without are answered
        processor.process(recordOf(request("shop-api", "getOrder", Map.of("orderId", "with")), TRACEPARENT)).get();
        processor.process(recordOf(request("shop-api", "getOrder", Map.of("orderId", "without")), null)).get();

        // Then the backend got the incoming traceparent as it was, and none where there was none
        shop.verify(getRequestedFor(urlPathMatching("/orders/with")).withHeader("traceparent", equalTo(TRACEPARENT)));
        shop.verify(getRequestedFor(urlPathMatching("/orders/without")).withHeader("traceparent", absent()));
        assertThat(header(producer.history().get(0), "traceparent")).isEqualTo(TRACEPARENT);
        assertThat(header(producer.history().get(1), "traceparent")).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
