package io.parley.processor.topology;

import io.parley.processor.conversation.Ids;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;

/**
 * The chat events a task has seen, by conversation: the same event id in two conversations is two
 * events (client-generated ids collide, and anyone can reuse one), the same event id again in one
 * conversation is a redelivery.
 *
 * <p>Entries written before ids were scoped are keyed by the bare event id. Such an entry still
 * marks a redelivery when the conversation's own session shows that event (its turn, a late turn
 * or a recent one), so that an event delivered again across the upgrade is not applied twice, and
 * an entry of another conversation is never taken for this one's.
 */
final class ConversationEventIds {

    private final Deduplicator seen;

    ConversationEventIds(Deduplicator seen) {
        this.seen = seen;
    }

    /**
     * Whether the event was seen in this conversation within the window around {@code timestamp}.
     *
     * @param stored the conversation's session, or {@code null}
     */
    boolean seenBefore(String conversationId, String eventId, long timestamp, Session stored) {
        if (seen.seenBefore(Ids.scoped(conversationId, eventId), timestamp)) {
            return true;
        }
        // The session first: a new event is in no session, and each look into the window store opens an iterator on
        // every segment the window spans.
        return mentions(stored, eventId) && seen.seenBefore(eventId, timestamp);
    }

    void remember(String conversationId, String eventId, long timestamp) {
        seen.remember(Ids.scoped(conversationId, eventId), timestamp);
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
