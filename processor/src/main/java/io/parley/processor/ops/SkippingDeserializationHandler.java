package io.parley.processor.ops;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Kafka Streams' log-and-continue handler for records that cannot be read (it logs topic,
 * partition and offset at WARN and, with {@code errors.dead.letter.queue.topic.name}, sends the
 * record to the dead-letter topic with the error headers, within {@link DeadLetterBounds}), plus
 * Parley's skipped-records metric.
 */
public final class SkippingDeserializationHandler extends LogAndContinueExceptionHandler {

    /** The Streams configuration entry holding the {@link ProcessorMetrics}. */
    public static final String METRICS_CONFIG = "parley.metrics";

    private ProcessorMetrics metrics;
    private DeadLetterBounds bounds = new DeadLetterBounds(DeadLetterBounds.DEFAULT_MAX_BYTES);

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        bounds = DeadLetterBounds.from(configs);
        if (configs.get(METRICS_CONFIG) instanceof ProcessorMetrics configured) {
            this.metrics = configured;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        Response handled = super.handleError(context, record, exception);
        // The dead-letter copy of an oversized input must not be refused by Kafka in turn.
        Response response = handled.result() == Result.RESUME
                ? Response.resume(bounds.apply(handled.deadLetterQueueRecords()))
                : Response.fail(bounds.apply(handled.deadLetterQueueRecords()));
        if (metrics != null) {
            metrics.skipped("unreadable");
        }
        return response;
    }
}
