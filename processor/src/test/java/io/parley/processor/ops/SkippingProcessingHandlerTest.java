package io.parley.processor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class SkippingProcessingHandlerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SkippingProcessingHandler handler = new SkippingProcessingHandler();

    @Test
    void refusedRecordGoesToTheDeadLetterTopicWithItsReasonAndIsCountedUnderIt() {
        // Given the handler configured with the dead-letter topic and Parley's metrics
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "chat.dlq",
                SkippingDeserializationHandler.METRICS_CONFIG, new ProcessorMetrics(registry)));
        byte[] rawValue = "original bytes".getBytes(StandardCharsets.UTF_8);

        // When a step refuses its input
        Response response = handler.handleError(context(rawValue), new Record<>("conv-1", "value", 0L),
                new RefusedRecordException("key-not-conversation-id", "the key is not the event's conversation id"));

        // Then the stream resumes, the original bytes go to the DLQ with the reason, and the metric names it
        assertThat(response.result()).isEqualTo(Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("chat.dlq");
            assertThat(record.value()).isEqualTo(rawValue);
            assertThat(header(record, "__streams.errors.message"))
                    .isEqualTo("key-not-conversation-id: the key is not the event's conversation id");
        });
        assertThat(registry.find("parley.skipped.records").tag("reason", "key-not-conversation-id").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.find("parley.skipped.records").tag("reason", "processing-failed").counter()).isNull();
    }

    @Test
    void otherFailuresAreCountedAsProcessingFailed() {
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "chat.dlq",
                SkippingDeserializationHandler.METRICS_CONFIG, new ProcessorMetrics(registry)));

        handler.handleError(context(new byte[] {1}), new Record<>("conv-1", "value", 0L), new IllegalStateException("boom"));

        assertThat(registry.find("parley.skipped.records").tag("reason", "processing-failed").counter().count()).isEqualTo(1.0);
    }

    private static DefaultErrorHandlerContext context(byte[] rawValue) {
        return new DefaultErrorHandlerContext(null, "chat.events", 2, 41L, new RecordHeaders(), "conversation",
                new TaskId(0, 2), 0L, "conv-1".getBytes(StandardCharsets.UTF_8), rawValue);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
