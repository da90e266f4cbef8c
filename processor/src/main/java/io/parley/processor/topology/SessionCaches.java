package io.parley.processor.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The {@link SessionCache} of each stream task of one topology. The conversation processor opens its
 * task's cache when Streams initialises it (after restoring or reviving the task's state, so a cache
 * never outlives the state it mirrors) and closes it with the task; another processor that writes the
 * task's {@code sessions} store (alert deliveries) makes the cache forget what it wrote.
 */
final class SessionCaches {

    private final int capacityPerTask;
    private final Map<TaskId, SessionCache> byTask = new ConcurrentHashMap<>();

    /** @param capacityPerTask sessions kept per task; 0 keeps none */
    SessionCaches(int capacityPerTask) {
        this.capacityPerTask = capacityPerTask;
    }

    /** A new, empty cache for the task, replacing the one it had. */
    SessionCache open(TaskId task) {
        SessionCache cache = new SessionCache(capacityPerTask);
        byTask.put(task, cache);
        return cache;
    }

    void close(TaskId task, SessionCache cache) {
        byTask.remove(task, cache);
    }

    /** The task's sessions store was written for this conversation by someone else than the cache's owner. */
    void forget(TaskId task, String conversationId) {
        SessionCache cache = byTask.get(task);
        if (cache != null) {
            cache.remove(conversationId);
        }
    }
}
