package io.parley.processor.topology;

import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The entries a session needs in the {@code deadlines} index, derived from the session alone: one
 * per pending call at its deadline ({@code request:<id>}), and one for the still-working message
 * while it is not sent ({@code interim:<event id>}). Deriving them means the index is maintained by
 * comparing a session before and after a change, and can never drift from it.
 */
final class SessionTimers {

    static final String REQUEST_PREFIX = "request:";
    static final String INTERIM_PREFIX = "interim:";

    private SessionTimers() {
    }

    static Set<TimeIndexKey> of(Session session) {
        Set<TimeIndexKey> timers = new LinkedHashSet<>();
        if (session == null || session.getTurn() == null) {
            return timers;
        }
        Turn turn = session.getTurn();
        for (PendingCall pending : turn.getPending()) {
            timers.add(new TimeIndexKey(pending.getDeadline().toEpochMilli(), REQUEST_PREFIX + pending.getRequestId()));
        }
        if (!turn.getPending().isEmpty() && !turn.getInterimSent() && turn.getInterimAt() != null) {
            timers.add(new TimeIndexKey(turn.getInterimAt().toEpochMilli(), INTERIM_PREFIX + turn.getEventId()));
        }
        return timers;
    }

    static boolean isPendingCall(TimeIndexKey key) {
        return key.reference().startsWith(REQUEST_PREFIX);
    }
}
