package io.parley.bench.pipeline;

import java.util.Map;

/** A running processor and worker, serving the scenario's topics until closed. */
public interface PipelineUnderTest extends AutoCloseable {

    /**
     * The settings the pipeline actually runs with, beyond what {@link PipelineConfig} fixed
     * (the worker's effective concurrency, the punctuation interval, RocksDB cache size, JVM
     * options of a child processor, ...), for the report.
     */
    Map<String, Object> effectiveSettings();

    /** The processor's state and memory, for the scale-of-state scenario. */
    StateProbe stateProbe();

    /** Stops processor and worker and removes their local state; a failure to stop is an unchecked exception. */
    @Override
    void close();
}
