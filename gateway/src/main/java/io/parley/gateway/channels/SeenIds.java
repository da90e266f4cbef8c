package io.parley.gateway.channels;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids seen in the last {@code window}, at most {@code capacity} of them (the oldest forgotten
 * first): drops duplicate deliveries and replayed signatures on this instance.
 */
public final class SeenIds {

    private final Duration window;
    private final int capacity;
    private final Clock clock;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    public SeenIds(Duration window, int capacity, Clock clock) {
        this.window = window;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Remembers {@code id}; false when it was already seen within the window. */
    public synchronized boolean firstTime(String id) {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> oldest = it.next();
            if (oldest.getValue() > now - window.toMillis() && seen.size() < capacity) {
                break;
            }
            it.remove();
        }
        if (seen.containsKey(id)) {
            return false;
        }
        seen.put(id, now);
        return true;
    }

    /** Forgets {@code id}, so that a delivery that failed can be retried. */
    public synchronized void forget(String id) {
        seen.remove(id);
    }
}
