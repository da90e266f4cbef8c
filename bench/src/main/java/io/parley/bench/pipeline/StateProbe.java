package io.parley.bench.pipeline;

/**
 * What the scale-of-state scenario (S5) reads from a running processor. A processor in a child
 * JVM is read from outside: resident set from {@code /proc/<pid>/status} (VmRSS), the rest from
 * its admin endpoint's {@code /metrics} (Kafka Streams' RocksDB property metrics such as
 * {@code block-cache-usage}, {@code cur-size-all-mem-tables}, {@code estimate-table-readers-mem},
 * {@code estimate-num-keys}, and a punctuation timer).
 */
public interface StateProbe {

    /** Resident set size of the process that runs the processor, in bytes. */
    long processorResidentBytes();

    /** The maximum heap of that process, in bytes. */
    long processorMaxHeapBytes();

    /** Native memory held by the processor's RocksDB stores, summed over stores. */
    RocksDbMemory rocksDbMemory();

    /** Runs of the deadline punctuator so far, cumulative since start. */
    PunctuationStats punctuations();

    /** Conversations held in the sessions store (RocksDB's estimate is good enough). */
    long liveSessions();
}
