package io.parley.processor.topology;

import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The entry a session needs in the {@code deadlines} index, derived from the session alone: while
 * its turn waits for backends, one entry ({@code turn:<event id>}) at the turn's next due time —
 * the still-working message while it is not sent, else the deadline. One entry per turn, however
 * many calls it waits for, keeps a turn's index traffic to a put and a delete when it is answered
 * in time (each index write is also a changelog record). Deriving it means the index is maintained
 * by comparing a session before and after a change, and can never drift from it.
 */
final class SessionTimers {

    static final String TURN_PREFIX = "turn:";

    private SessionTimers() {
    }

    static Set<TimeIndexKey> of(Session session) {
        return next(session).map(Set::of).orElse(Set.of());
    }

    private static Optional<TimeIndexKey> next(Session session) {
        return waitingTurn(session).map(turn -> {
            long deadline = deadline(turn);
            long due = !turn.getInterimSent() && turn.getInterimAt() != null
                    ? Math.min(turn.getInterimAt().toEpochMilli(), deadline)
                    : deadline;
            return new TimeIndexKey(due, TURN_PREFIX + turn.getEventId());
        });
    }

    /** The deadline of the turn the session waits on for backends, if it does. */
    static Optional<Instant> waitsUntil(Session session) {
        return waitingTurn(session).map(turn -> Instant.ofEpochMilli(deadline(turn)));
    }

    /** The session's turn while it waits for backends. */
    private static Optional<Turn> waitingTurn(Session session) {
        if (session == null || session.getTurn() == null || session.getTurn().getPending().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(session.getTurn());
    }

    /** The turn's deadline; a call's own deadline stands in should a turn have none. */
    private static long deadline(Turn turn) {
        return Optional.ofNullable(turn.getDeadline())
                .or(() -> turn.getPending().stream().map(PendingCall::getDeadline).min(Instant::compareTo))
                .map(Instant::toEpochMilli)
                .orElseThrow();
    }

    /** The calls a stored session waits for. */
    static int pendingCalls(Session session) {
        return session == null || session.getTurn() == null ? 0 : session.getTurn().getPending().size();
    }
}
