package io.parley.processor.topology;

import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Remembers ids for a while to recognise a redelivery. Backed by a window store, whose old
 * segments are dropped as stream time passes, so the memory of ids is bounded by the window.
 */
final class Deduplicator {

    private final WindowStore<String, Long> seen;
    private final long windowMillis;

    Deduplicator(WindowStore<String, Long> seen, Duration window) {
        this.seen = seen;
        this.windowMillis = window.toMillis();
    }

    /** Whether the id was seen within the window around {@code timestamp} (the record's time). */
    boolean seenBefore(String id, long timestamp) {
        try (WindowStoreIterator<Long> hits = seen.fetch(id, Math.max(0, timestamp - windowMillis), timestamp + windowMillis)) {
            return hits.hasNext();
        }
    }

    void remember(String id, long timestamp) {
        seen.put(id, timestamp, timestamp);
    }
}
