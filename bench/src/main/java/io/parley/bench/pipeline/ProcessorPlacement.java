package io.parley.bench.pipeline;

/** Where the processor of a pipeline under test runs. */
public enum ProcessorPlacement {
    /** In the bench JVM, beside the broker and the load generator: throughput and latency scenarios. */
    IN_PROCESS,
    /**
     * In a JVM of its own, started by the pipeline: memory scenarios. The resident set of the bench
     * JVM also holds the broker, the load generator and the worker, and its heap is sized for all
     * of them, so it says nothing about the processor; a child JVM with the processor alone and
     * an explicit heap is what a deployment would see.
     */
    CHILD_JVM
}
