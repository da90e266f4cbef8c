package io.parley.processor.topology;

import io.parley.processor.ops.ProcessorMetrics;
import io.parley.schemas.state.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The sessions of a stream task with their two time indexes. Every write goes through
 * {@link #save}, which keeps {@code deadlines} in step with the session (the entries a session
 * needs are derived from it, {@link SessionTimers}, and the difference to the previous version is
 * applied) and gives a new session its {@code session-expiry} entry. That entry is not moved as the
 * session stays active: it says "look at this session then", and the punctuator re-indexes a
 * session that is still alive at that time ({@link #reindexExpiry}).
 */
final class SessionRepository {

    private final KeyValueStore<String, Session> sessions;
    private final SessionCache cache;
    private final KeyValueStore<Bytes, String> deadlines;
    private final KeyValueStore<Bytes, String> expiries;
    private final Duration timeToLive;
    private final ProcessorMetrics metrics;
    private final AtomicLong pendingCalls;

    SessionRepository(KeyValueStore<String, Session> sessions, SessionCache cache, KeyValueStore<Bytes, String> deadlines,
                      KeyValueStore<Bytes, String> expiries, Duration timeToLive, ProcessorMetrics metrics, String task) {
        this.sessions = sessions;
        this.cache = cache;
        this.deadlines = deadlines;
        this.expiries = expiries;
        this.timeToLive = timeToLive;
        this.metrics = metrics;
        this.pendingCalls = metrics.pendingCalls(task, countPendingCalls(deadlines, sessions));
    }

    /** The stored session; not to be changed (the engine changes a copy), as later reads may share it. */
    Session get(String conversationId) {
        Session cached = cache.get(conversationId);
        if (cached != null) {
            return cached;
        }
        Session stored = sessions.get(conversationId);
        if (stored != null) {
            cache.put(conversationId, stored);
        }
        return stored;
    }

    /**
     * Stores the session as it is after a change (or deletes it) and updates both indexes.
     *
     * @param before the session as it was stored, or {@code null}
     */
    void save(String conversationId, Session before, Optional<Session> after) {
        Set<TimeIndexKey> oldTimers = SessionTimers.of(before);
        Set<TimeIndexKey> newTimers = SessionTimers.of(after.orElse(null));
        for (TimeIndexKey timer : oldTimers) {
            if (!newTimers.contains(timer)) {
                deadlines.delete(timer.toBytes());
            }
        }
        for (TimeIndexKey timer : newTimers) {
            if (!oldTimers.contains(timer)) {
                deadlines.put(timer.toBytes(), conversationId);
            }
        }
        pendingCalls.addAndGet(SessionTimers.pendingCalls(after.orElse(null)) - SessionTimers.pendingCalls(before));
        Optional<Instant> indexed = Optional.ofNullable(before).map(this::indexedExpiry);
        if (after.isPresent()) {
            // The expiry entry stays where it is while the session is active: moving it on every turn cost two
            // changelog records per turn (a delete and a put). When it comes due, the punctuator checks the
            // session's real last activity and indexes a live session again, about once per time to live.
            Session session = after.get();
            if (indexed.isPresent()) {
                session.setExpiryIndexedAt(indexed.get());
            } else {
                index(conversationId, session);
            }
        } else {
            indexed.ifPresent(at -> expiries.delete(new TimeIndexKey(at.toEpochMilli(), conversationId).toBytes()));
        }
        if (after.isPresent()) {
            sessions.put(conversationId, after.get());
            cache.put(conversationId, after.get());
        } else if (before != null) {
            cache.remove(conversationId);
            sessions.delete(conversationId);
        }
    }

    /**
     * Writes the deadline entries the session needs again. Under at-least-once both stores reach their
     * changelogs at the commit, one after the other, so a successor after a crash can restore a session
     * that waits without its entries; it finds out when it reads the turn's chat event again.
     */
    void restoreTimers(String conversationId, Session stored) {
        if (stored != null) {
            SessionTimers.of(stored).forEach(timer -> deadlines.put(timer.toBytes(), conversationId));
        }
    }

    /** Whether the session has been idle for its whole time to live at {@code now} (see {@link #expiryOf}). */
    boolean isExpired(Session session, long now) {
        return expiryOf(session).dueMillis() <= now;
    }

    /**
     * Deletes a session whose expiry entry {@code entry} came due, that entry with it: one changelog
     * tombstone each (the entry is the session's own, {@link #isIndexedAt}; a session written before
     * {@code expiryIndexedAt} existed is told which one it is).
     */
    void deleteExpired(String conversationId, Session stored, TimeIndexKey entry) {
        Session expired = Session.newBuilder(stored).setExpiryIndexedAt(Instant.ofEpochMilli(entry.dueMillis())).build();
        save(conversationId, expired, Optional.empty());
    }

    /** Removes an expiry entry that no longer matches its session (or whose session is gone). */
    void dropExpiryEntry(TimeIndexKey key) {
        expiries.delete(key.toBytes());
    }

    /**
     * Whether this expiry entry is the session's own. A session written before {@code expiryIndexedAt}
     * existed owns whatever entry it has.
     */
    boolean isIndexedAt(Session session, TimeIndexKey entry) {
        return session.getExpiryIndexedAt() == null || session.getExpiryIndexedAt().toEpochMilli() == entry.dueMillis();
    }

    /** Indexes a live session whose expiry entry came due (and was dropped) at the time it can expire now. */
    void reindexExpiry(String conversationId, Session stored) {
        Session session = Session.newBuilder(stored).build();
        index(conversationId, session);
        sessions.put(conversationId, session);
        cache.put(conversationId, session);
    }

    private void index(String conversationId, Session session) {
        TimeIndexKey key = expiryOf(session);
        expiries.put(key.toBytes(), conversationId);
        session.setExpiryIndexedAt(Instant.ofEpochMilli(key.dueMillis()));
    }

    /** Where the session's expiry entry is: recorded, or (written before the field existed) its exact expiry. */
    private Instant indexedExpiry(Session session) {
        return session.getExpiryIndexedAt() != null
                ? session.getExpiryIndexedAt()
                : Instant.ofEpochMilli(expiryOf(session).dueMillis());
    }

    /**
     * The due timer entries at {@code now} by conversation, in due order, read by a range scan of
     * due entries only.
     */
    Map<String, List<TimeIndexKey>> dueTimers(long now, int max) {
        Map<String, List<TimeIndexKey>> byConversation = new LinkedHashMap<>();
        for (KeyValue<Bytes, String> entry : scanDue(deadlines, StoreNames.DEADLINES, now, max)) {
            byConversation.computeIfAbsent(entry.value, id -> new ArrayList<>()).add(TimeIndexKey.fromBytes(entry.key));
        }
        return byConversation;
    }

    /**
     * Removes handled timer entries the session no longer needs. {@link #save} already does so
     * for every entry derived from the session; this also clears an entry whose session is gone or
     * no longer knows it, so that it cannot be read again by every punctuation.
     */
    void settleTimers(String conversationId, List<TimeIndexKey> handled) {
        Set<TimeIndexKey> needed = SessionTimers.of(get(conversationId));
        handled.stream().filter(key -> !needed.contains(key)).forEach(key -> deadlines.delete(key.toBytes()));
    }

    /** Expiry entries due at {@code now}, read by a range scan of due entries only. */
    List<KeyValue<TimeIndexKey, String>> dueExpiries(long now, int max) {
        List<KeyValue<TimeIndexKey, String>> due = new ArrayList<>();
        for (KeyValue<Bytes, String> entry : scanDue(expiries, StoreNames.SESSION_EXPIRY, now, max)) {
            due.add(KeyValue.pair(TimeIndexKey.fromBytes(entry.key), entry.value));
        }
        return due;
    }

    /**
     * Reads the due entries into a list before anything changes the store: handling them deletes
     * and adds entries, which an open iterator must not see half-way.
     */
    private List<KeyValue<Bytes, String>> scanDue(KeyValueStore<Bytes, String> index, String name, long now, int max) {
        List<KeyValue<Bytes, String>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, String> range = index.range(TimeIndexKey.lowest(), TimeIndexKey.dueBy(now))) {
            while (range.hasNext() && due.size() < max) {
                due.add(range.next());
            }
        }
        metrics.indexEntriesRead(name, due.size());
        return due;
    }

    /**
     * When the session can expire: its time to live after its last activity, and not before the
     * deadline of a turn it waits on (a flow's deadline may be longer than the time to live): a user
     * waiting for an answer is not idle, and gets the answer or the fallback first.
     */
    private TimeIndexKey expiryOf(Session session) {
        long idle = session.getLastActiveAt().toEpochMilli() + timeToLive.toMillis();
        long due = SessionTimers.waitsUntil(session).map(deadline -> Math.max(deadline.toEpochMilli(), idle)).orElse(idle);
        return new TimeIndexKey(due, session.getConversationId());
    }

    /**
     * Pending calls held by this task's restored state: every session waiting for a call has an
     * entry in the deadline index, so only those sessions are read.
     */
    private static long countPendingCalls(KeyValueStore<Bytes, String> deadlines, KeyValueStore<String, Session> sessions) {
        Set<String> waiting = new HashSet<>();
        try (KeyValueIterator<Bytes, String> all = deadlines.all()) {
            while (all.hasNext()) {
                waiting.add(all.next().value);
            }
        }
        return waiting.stream().mapToLong(conversationId -> SessionTimers.pendingCalls(sessions.get(conversationId))).sum();
    }
}
