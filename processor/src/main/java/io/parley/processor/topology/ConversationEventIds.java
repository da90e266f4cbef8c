package io.parley.processor.topology;

import io.parley.processor.conversation.Ids;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import java.util.Optional;

/**
 * The chat events a task has seen, by conversation: the same event id in two conversations is two
 * events (client-generated ids collide, and anyone can reuse one), the same event id again in one
 * conversation is a redelivery.
 *
 * <p>Each id is remembered with the offset it was read at. The same id at another offset is the
 * channel sending it again. The same record read again is what a task's successor does after a crash:
 * it processes again what came after the last commit, with the stores as their changelogs have them.
 * Under at-least-once the session reaches its changelog at the commit (the record cache) while the
 * id is written through, so whether that record was applied is the session's to say
 * ({@code lastEventOffset}), not the id's.
 *
 * <p>Entries written before ids were scoped are keyed by the bare event id. Such an entry still
 * marks a redelivery when the conversation's own session shows that event (its turn, a late turn
 * or a recent one), so that an event delivered again across the upgrade is not applied twice, and
 * an entry of another conversation is never taken for this one's.
 */
final class ConversationEventIds {

    /** What the task knows of a chat event it reads. */
    enum Sighting {
        /** Not seen in this conversation within the window: applied. */
        FIRST,
        /** Seen at another offset: the channel sent it again; dropped. */
        REDELIVERY,
        /** This record, read again after a crash, and its session shows it applied: dropped. */
        REPLAY_APPLIED,
        /** This record, read again after a crash, and its session never showed it: applied now. */
        REPLAY_NOT_APPLIED;

        boolean applies() {
            return this == FIRST || this == REPLAY_NOT_APPLIED;
        }
    }

    private final Deduplicator seen;

    ConversationEventIds(Deduplicator seen) {
        this.seen = seen;
    }

    /**
     * What the task knows of the event read at {@code offset} of {@code chat.events}, within the
     * window around {@code timestamp}.
     *
     * @param stored the conversation's session, or {@code null}
     */
    Sighting sighting(String conversationId, String eventId, long timestamp, long offset, Session stored) {
        Optional<Long> firstSeenAt = seen.firstSeen(Ids.scoped(conversationId, eventId), timestamp);
        if (firstSeenAt.isPresent()) {
            if (firstSeenAt.get() != offset) {
                return Sighting.REDELIVERY;
            }
            Long applied = stored == null ? null : stored.getLastEventOffset();
            return applied != null && applied >= offset ? Sighting.REPLAY_APPLIED : Sighting.REPLAY_NOT_APPLIED;
        }
        // The session first: a new event is in no session, and each look into the window store opens an iterator on
        // every segment the window spans.
        return mentions(stored, eventId) && seen.seenBefore(eventId, timestamp) ? Sighting.REDELIVERY : Sighting.FIRST;
    }

    void remember(String conversationId, String eventId, long timestamp, long offset) {
        seen.remember(Ids.scoped(conversationId, eventId), timestamp, offset);
    }

    private static boolean mentions(Session session, String eventId) {
        if (session == null) {
            return false;
        }
        Turn turn = session.getTurn();
        return turn != null && eventId.equals(turn.getEventId())
                || session.getLateTurns().stream().anyMatch(late -> eventId.equals(late.getEventId()))
                || session.getRecentTurns().stream().map(TurnSummary::getEventId).anyMatch(eventId::equals);
    }
}
