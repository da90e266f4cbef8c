package io.parley.processor.topology;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Remembers ids for a while to recognise a redelivery. Backed by a window store, whose old
 * segments are dropped as stream time passes, so the memory of ids is bounded by the window.
 * Each id keeps a value: where it was first read (the conversation step's chat events), or its
 * time (notifications).
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
        return firstSeen(id, timestamp).isPresent();
    }

    /** The value the id was remembered with, if it was seen within the window around {@code timestamp}. */
    Optional<Long> firstSeen(String id, long timestamp) {
        try (WindowStoreIterator<Long> hits = seen.fetch(id, Math.max(0, timestamp - windowMillis), timestamp + windowMillis)) {
            return hits.hasNext() ? Optional.of(hits.next().value) : Optional.empty();
        }
    }

    void remember(String id, long timestamp) {
        remember(id, timestamp, timestamp);
    }

    void remember(String id, long timestamp, long value) {
        seen.put(id, value, timestamp);
    }
}
