package io.parley.processor.ops;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' log-and-continue handler for records whose processing failed (logged at WARN
 * with topic, partition and offset, sent to the dead-letter topic with the error headers), plus
 * Parley's skipped-records metric, tagged with the reason of a {@link RefusedRecordException} or
 * {@code processing-failed}. The stream thread keeps running.
 */
public final class SkippingProcessingHandler extends LogAndContinueProcessingExceptionHandler {

    private ProcessorMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        if (configs.get(SkippingDeserializationHandler.METRICS_CONFIG) instanceof ProcessorMetrics configured) {
            this.metrics = configured;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Response response = super.handleError(context, record, exception);
        if (metrics != null) {
            metrics.skipped(exception instanceof RefusedRecordException refused ? refused.reason() : "processing-failed");
        }
        return response;
    }
}
