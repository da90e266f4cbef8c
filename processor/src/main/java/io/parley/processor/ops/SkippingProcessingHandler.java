package io.parley.processor.ops;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' log-and-continue handler for records whose processing failed (logged at WARN
 * with topic, partition and offset, sent to the dead-letter topic with the error headers), plus
 * Parley's skipped-records metric, tagged with the reason of a {@link RefusedRecordException} or
 * {@code processing-failed}. The stream thread keeps running. Dead-letter records are kept within
 * {@link DeadLetterBounds}.
 */
public final class SkippingProcessingHandler extends LogAndContinueProcessingExceptionHandler {

    private ProcessorMetrics metrics;
    private DeadLetterBounds bounds = new DeadLetterBounds(DeadLetterBounds.DEFAULT_MAX_BYTES);

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        bounds = DeadLetterBounds.from(configs);
        if (configs.get(SkippingDeserializationHandler.METRICS_CONFIG) instanceof ProcessorMetrics configured) {
            this.metrics = configured;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Response handled = super.handleError(context, record, exception);
        // The dead-letter copy of an oversized input must not be refused by Kafka in turn.
        Response response = handled.result() == Result.RESUME
                ? Response.resume(bounds.apply(handled.deadLetterQueueRecords()))
                : Response.fail(bounds.apply(handled.deadLetterQueueRecords()));
        if (metrics != null) {
            metrics.skipped(exception instanceof RefusedRecordException refused ? refused.reason() : "processing-failed");
        }
        return response;
    }
}
