package io.parley.processor;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order in which a processor's parts stop, whatever order they were built in. A failed start runs the same
 * sequence over the parts built so far, so a part is never closed before one that still uses it.
 */
final class ShutdownSequence {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    /** The parts, in the order they stop. */
    enum Part {
        /** First: no new flow version arrives while the streams close. */
        FLOW_READER("the reader of published flows"),
        /** Commits what was processed and leaves (or stays in) the group. */
        STREAMS("Kafka Streams"),
        STREAMS_METRICS("the Kafka Streams metrics"),
        /** After the streams: metrics and health answer until they are closed. */
        ADMIN_SERVER("the admin endpoint"),
        /** RocksDB's shared memory is released only after every store is closed. */
        ROCKSDB_MEMORY("the RocksDB memory"),
        METER_REGISTRY("the meter registry"),
        /** After the streams: the spans of the last turns are flushed to the collector. */
        TRACING("tracing");

        private final String description;

        Part(String description) {
            this.description = description;
        }
    }

    private final Map<Part, AutoCloseable> parts = new EnumMap<>(Part.class);

    /** Registers a part as soon as it is built (before the next part is). */
    synchronized void add(Part part, AutoCloseable closeable) {
        if (parts.putIfAbsent(part, closeable) != null) {
            throw new IllegalStateException(part.description + " is already registered");
        }
    }

    /** Closes the registered parts in {@link Part} order; a part that fails to close is logged and the next one closed. */
    synchronized void close() {
        for (Map.Entry<Part, AutoCloseable> part : parts.entrySet()) {
            try {
                part.getValue().close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", part.getKey().description, e);
            }
        }
        parts.clear();
    }
}
