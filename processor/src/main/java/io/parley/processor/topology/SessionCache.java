package io.parley.processor.topology;

import io.parley.schemas.state.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded sessions one stream task read or wrote last, so that a session read again soon after
 * (a backend's answer milliseconds after its chat event, the user's next message) is not decoded
 * from the store again: decoding was 7.5 % of the stream thread in bench S2. The store stays the
 * truth: every write goes to it, and the cache only ever holds what the store holds for the key.
 *
 * <p>A cached session is shared by every later read, so it must not be changed: the engine works on
 * copies ({@code SessionCopies}). With assertions on (every test run), each hit is checked against the
 * session as it was cached, so a change that bypassed the store fails the test that made it. Only the
 * task's stream thread uses it.
 */
final class SessionCache {

    private final int capacity;
    private final Map<String, Session> sessions;
    /** With assertions on: each cached session's encoding when it was cached. */
    private final Map<String, ByteBuffer> cachedAs = new HashMap<>();

    SessionCache(int capacity) {
        this.capacity = capacity;
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                if (size() > SessionCache.this.capacity) {
                    cachedAs.remove(eldest.getKey());
                    return true;
                }
                return false;
            }
        };
    }

    /** The cached session, or {@code null} when it is not cached (which says nothing about the store). */
    Session get(String conversationId) {
        Session cached = sessions.get(conversationId);
        assert cached == null || unchanged(conversationId, cached)
                : "the cached session of a conversation was changed after it was stored; the engine must change a copy";
        return cached;
    }

    /** The session as the store now holds it for the conversation. */
    void put(String conversationId, Session session) {
        if (capacity == 0) {
            return;
        }
        sessions.put(conversationId, session);
        assert remember(conversationId, session);
    }

    void remove(String conversationId) {
        sessions.remove(conversationId);
        cachedAs.remove(conversationId);
    }

    int size() {
        return sessions.size();
    }

    private boolean remember(String conversationId, Session session) {
        cachedAs.put(conversationId, encoded(session));
        return true;
    }

    private boolean unchanged(String conversationId, Session cached) {
        return encoded(cached).equals(cachedAs.get(conversationId));
    }

    private static ByteBuffer encoded(Session session) {
        try {
            return session.toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
