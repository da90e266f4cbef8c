package io.parley.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.state.Session;
import java.time.Instant;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class SessionCacheTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void keepsTheSessionsUsedLastUpToItsCapacity() {
        SessionCache cache = new SessionCache(2);
        cache.put("a", session("a"));
        cache.put("b", session("b"));
        assertThat(cache.get("a")).isNotNull();

        cache.put("c", session("c"));

        assertThat(cache.get("b")).as("least recently used, evicted").isNull();
        assertThat(cache.get("a").getConversationId()).isEqualTo("a");
        assertThat(cache.get("c").getConversationId()).isEqualTo("c");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aWrittenSessionReplacesTheOneBeforeAndARemovedOneIsGone() {
        SessionCache cache = new SessionCache(10);
        cache.put("a", session("a"));
        Session next = session("a");
        next.setChannel("sms");

        cache.put("a", next);
        assertThat(cache.get("a")).isSameAs(next);

        cache.remove("a");
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void capacityZeroKeepsNothing() {
        SessionCache cache = new SessionCache(0);
        cache.put("a", session("a"));

        assertThat(cache.get("a")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aCachedSessionChangedInPlaceFailsTheNextReadWhenAssertionsAreOn() {
        boolean assertionsOn = false;
        assert assertionsOn = true;
        SessionCache cache = new SessionCache(10);
        Session cached = session("a");
        cache.put("a", cached);

        cached.setChannel("changed without a write");

        if (assertionsOn) {
            assertThatThrownBy(() -> cache.get("a")).isInstanceOf(AssertionError.class).hasMessageContaining("must change a copy");
        } else {
            assertThat(cache.get("a")).isSameAs(cached);
        }
    }

    @Test
    void aTasksCacheForgetsWhatAnotherProcessorWroteAndANewOneStartsEmpty() {
        SessionCaches caches = new SessionCaches(10);
        TaskId task = new TaskId(0, 3);
        SessionCache cache = caches.open(task);
        cache.put("a", session("a"));
        cache.put("b", session("b"));

        caches.forget(task, "a");
        caches.forget(new TaskId(0, 4), "b");

        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).as("another task's write").isNotNull();
        assertThat(caches.open(task).get("b")).as("reopened after a restore or revival").isNull();
    }

    private static Session session(String conversationId) {
        return Session.newBuilder().setConversationId(conversationId).setUserId("alice").setChannel("web")
                .setStartedAt(AT).setLastActiveAt(AT).build();
    }
}
