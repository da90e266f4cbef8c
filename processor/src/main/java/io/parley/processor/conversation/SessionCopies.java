package io.parley.processor.conversation;

import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Working copies of stored sessions. The engine changes a copy, never the stored object, and the
 * copy's lists and maps are plain Java collections: Avro's arrays do not support removal through
 * their iterators.
 */
final class SessionCopies {

    private SessionCopies() {
    }

    static Session mutableCopy(Session stored) {
        Session copy = Session.newBuilder(stored).build();
        copy.setProfile(new LinkedHashMap<>(copy.getProfile()));
        copy.setRecentTurns(new ArrayList<>(copy.getRecentTurns()));
        ArrayList<Turn> late = new ArrayList<>();
        copy.getLateTurns().forEach(turn -> late.add(mutable(turn)));
        copy.setLateTurns(late);
        if (copy.getTurn() != null) {
            copy.setTurn(mutable(copy.getTurn()));
        }
        return copy;
    }

    private static Turn mutable(Turn turn) {
        turn.setSlots(new LinkedHashMap<>(turn.getSlots()));
        turn.setResults(new LinkedHashMap<>(turn.getResults()));
        turn.setFailures(new LinkedHashMap<>(turn.getFailures()));
        turn.setPending(new ArrayList<>(turn.getPending()));
        return turn;
    }
}
