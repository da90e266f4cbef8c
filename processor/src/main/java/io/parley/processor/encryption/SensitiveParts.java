package io.parley.processor.encryption;

import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which parts of a session are personal, and how a session splits into a clear part (what routing,
 * timers and ownership checks need to be understood by an operator looking at the store) and a
 * secret part (what is sealed), and back. The personal parts:
 * <ul>
 *   <li>the user id;</li>
 *   <li>the profile (names, addresses and the like loaded for the conversation);</li>
 *   <li>of the turn in progress and of each late turn: the message text kept while classifying,
 *       the slot values the user gave, and the backend results kept for later steps and replies.</li>
 * </ul>
 * Everything else (ids, channel, locale, flow version, intent names, call names, statuses,
 * timestamps, trace ids) stays in clear.
 */
final class SensitiveParts {

    private SensitiveParts() {
    }

    /** The session as stored in clear: the personal parts emptied. */
    static Session clear(Session session) {
        Session.Builder clear = Session.newBuilder(session).setUserId("").setProfile(Map.of()).setAlert(Map.of()).setSealed(null)
                .setPendingAudit(null);
        if (session.getTurn() != null) {
            clear.setTurn(clearTurn(session.getTurn()));
        }
        clear.setLateTurns(session.getLateTurns().stream().map(SensitiveParts::clearTurn).toList());
        return clear.build();
    }

    /** A session holding only the personal parts (the rest at placeholder values), to be sealed. */
    static Session secrets(Session session) {
        Session.Builder secrets = Session.newBuilder()
                .setConversationId("").setUserId(session.getUserId()).setChannel("").setProfile(session.getProfile()).setAlert(session.getAlert())
                .setStartedAt(Instant.EPOCH).setLastActiveAt(Instant.EPOCH)
                .setLateTurns(session.getLateTurns().stream().map(SensitiveParts::secretTurn).toList())
                // the audit steps of the turn in progress (audit.mode turn) hold its (redacted) message text
                .setPendingAudit(session.getPendingAudit());
        if (session.getTurn() != null) {
            secrets.setTurn(secretTurn(session.getTurn()));
        }
        return secrets.build();
    }

    /** The session again: {@code clear} with the personal parts of {@code secrets} put back. */
    static Session merge(Session clear, Session secrets) {
        if ((clear.getTurn() == null) != (secrets.getTurn() == null) || clear.getLateTurns().size() != secrets.getLateTurns().size()) {
            throw new SealingException("a session value of conversation '" + clear.getConversationId()
                    + "' does not match its sealed parts (turns differ)");
        }
        Session.Builder merged = Session.newBuilder(clear).setSealed(null)
                .setUserId(secrets.getUserId()).setProfile(secrets.getProfile()).setAlert(secrets.getAlert())
                .setPendingAudit(secrets.getPendingAudit());
        if (clear.getTurn() != null) {
            merged.setTurn(mergeTurn(clear.getTurn(), secrets.getTurn()));
        }
        List<Turn> late = new ArrayList<>(clear.getLateTurns().size());
        for (int i = 0; i < clear.getLateTurns().size(); i++) {
            late.add(mergeTurn(clear.getLateTurns().get(i), secrets.getLateTurns().get(i)));
        }
        return merged.setLateTurns(late).build();
    }

    private static Turn clearTurn(Turn turn) {
        return Turn.newBuilder(turn).setText(null).setSlots(Map.of()).setResults(Map.of()).build();
    }

    private static Turn secretTurn(Turn turn) {
        return Turn.newBuilder().setEventId("").setStartedAt(Instant.EPOCH)
                .setText(turn.getText()).setSlots(turn.getSlots()).setResults(turn.getResults()).build();
    }

    private static Turn mergeTurn(Turn clear, Turn secrets) {
        return Turn.newBuilder(clear).setText(secrets.getText()).setSlots(secrets.getSlots()).setResults(secrets.getResults()).build();
    }
}
