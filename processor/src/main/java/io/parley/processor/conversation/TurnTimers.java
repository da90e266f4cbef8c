package io.parley.processor.conversation;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.IntentDefinition;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.util.Optional;

/**
 * What the passing of time does to a turn that waits for backends: a still-working message after
 * {@code interimAfter}, and at the deadline a TIMEOUT per unanswered call and the fallback reply.
 * The turn is then kept for late answers.
 */
final class TurnTimers {

    private final FlowCatalog flows;
    private final BackendCalls calls;
    private final TurnEndings endings;
    private final ConversationMetrics metrics;

    TurnTimers(FlowCatalog flows, BackendCalls calls, TurnEndings endings, ConversationMetrics metrics) {
        this.flows = flows;
        this.calls = calls;
        this.endings = endings;
        this.metrics = metrics;
    }

    /** Sends what is due at {@code now}: the fallback at the deadline, else the still-working message. */
    void onTimers(Outcome out, long now) {
        Session session = out.current();
        endings.forgetOldLateTurns(session, now);
        Turn turn = session.getTurn();
        if (turn == null || turn.getPending().isEmpty()) {
            return;
        }
        Optional<IntentDefinition> intent = flows.intent(turn.getIntent());
        if (turn.getDeadline() != null && turn.getDeadline().toEpochMilli() <= now) {
            timeOut(out, turn, intent, now);
        } else if (!turn.getInterimSent() && turn.getInterimAt() != null && turn.getInterimAt().toEpochMilli() <= now) {
            endings.sendText(out, turn, turn.getEventId(), turn.getStartedAt().toEpochMilli(), ReplyKind.INTERIM,
                    intent.map(IntentDefinition::interim).orElse(flows.texts().interim()), now);
            turn.setInterimSent(true);
            metrics.interimSent();
        }
    }

    /**
     * Ends the turn with its fallback when its deadline has passed and calls are still pending,
     * whether or not the punctuator has noticed yet. Called before an answer is taken in, so that
     * an answer read after the deadline is late however the punctuator and the answer raced.
     */
    void timeOutIfDue(Outcome out, long now) {
        Turn turn = out.current().getTurn();
        if (turn != null && !turn.getPending().isEmpty() && turn.getDeadline() != null && turn.getDeadline().toEpochMilli() <= now) {
            timeOut(out, turn, flows.intent(turn.getIntent()), now);
        }
    }

    private void timeOut(Outcome out, Turn turn, Optional<IntentDefinition> intent, long now) {
        Session session = out.current();
        for (PendingCall pending : turn.getPending()) {
            out.audit(calls.callAudit(AuditKind.TIMEOUT, session, turn, pending, now).build());
            metrics.callTimedOut(pending.getConnector(), pending.getOperation());
        }
        endings.sendText(out, turn, turn.getEventId(), turn.getStartedAt().toEpochMilli(), ReplyKind.FALLBACK,
                intent.map(IntentDefinition::fallback).orElse(flows.texts().fallback()), now);
        endings.keepForLateAnswers(session, turn);
        endings.end(out, turn, TurnOutcome.TIMED_OUT, now);
    }
}
