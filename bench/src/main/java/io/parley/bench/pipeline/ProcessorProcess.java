package io.parley.bench.pipeline;

import java.util.Map;

/** A running Parley processor, wherever it runs: what the pipeline needs to read and stop it. */
interface ProcessorProcess extends AutoCloseable {

    /** {@code http://host:port} of its admin endpoint ({@code /metrics}, {@code /health/ready}). */
    String adminUrl();

    /** The operating-system process it runs in. */
    long pid();

    /** The maximum heap of that process, in bytes. */
    long maxHeapBytes();

    /** Where and how it runs, for the report. */
    Map<String, Object> describe();

    /** Stops it cleanly (Kafka Streams commits and leaves the group). */
    @Override
    void close();
}
