package io.parley.processor.topology;

import io.parley.processor.ops.ProcessorMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Skips an input record the way operators expect: a WARN line with topic, partition and offset, and a metric. */
public final class SkippedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(SkippedRecords.class);

    private final ProcessorMetrics metrics;

    public SkippedRecords(ProcessorMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param reason a short, fixed description (it becomes a metric tag; never record content)
     */
    public void skip(ProcessorContext<?, ?> context, String reason) {
        String where = context.recordMetadata()
                .map(m -> "from topic " + m.topic() + " partition " + m.partition() + " offset " + m.offset())
                .orElse("(no source record)");
        LOG.warn("Skipped record {}: {}", where, reason);
        metrics.skipped(reason);
    }

    /** {@code topic-partition@offset} of the record being processed, for ids and messages. */
    static String position(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }
}
