package io.parley.processor.conversation;

import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.IntentDefinition;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.util.Optional;

/**
 * Answers for turns that already ended (deadline passed, or superseded). When the turn's last
 * missing answer arrives, the flow allows late replies, nothing failed and no further step would
 * be needed, the user gets a FOLLOW_UP; otherwise the answer is audited LATE and dropped.
 */
final class LateAnswers {

    private final FlowCatalog flows;
    private final BackendCalls calls;
    private final Replies replies;
    private final ConversationMetrics metrics;

    LateAnswers(FlowCatalog flows, BackendCalls calls, Replies replies, ConversationMetrics metrics) {
        this.flows = flows;
        this.calls = calls;
        this.replies = replies;
        this.metrics = metrics;
    }

    /** The ended turn of the session that waits for this request's answer, if one does. */
    static Optional<Turn> turnWaitingFor(Session session, String requestId) {
        return session.getLateTurns().stream()
                .filter(late -> BackendCalls.pendingCall(late, requestId).isPresent())
                .findFirst();
    }

    /** Takes the answer in if one of the session's ended turns waits for it. */
    boolean accept(Outcome out, BackendResponse response, long now) {
        Session session = out.current();
        for (Turn late : session.getLateTurns()) {
            Optional<PendingCall> pending = BackendCalls.pendingCall(late, response.getRequestId());
            if (pending.isPresent()) {
                answered(out, late, pending.get(), response, now);
                return true;
            }
        }
        return false;
    }

    private void answered(Outcome out, Turn late, PendingCall pending, BackendResponse response, long now) {
        Session session = out.current();
        late.getPending().remove(pending);
        calls.record(late, pending, response);
        Optional<IntentDefinition> intent = flows.intent(late.getIntent());
        boolean complete = late.getPending().isEmpty();
        boolean deliver = complete && intent.isPresent() && intent.get().timing().lateReply()
                && late.getFailures().isEmpty() && intent.get().isLastStep(late.getStepIndex());
        out.audit(calls.responseAudit(AuditKind.LATE, session, late, pending, response, now)
                .attribute("delivered", Boolean.toString(deliver))
                .build());
        metrics.lateAnswer(deliver);
        if (complete) {
            session.getLateTurns().remove(late);
        }
        if (deliver) {
            String text = intent.get().followUp().renderMessage(TemplateScope.of(session, late));
            replies.send(out, session, pending.getRequestId(), late.getEventId(), late.getStartedAt().toEpochMilli(),
                    ReplyKind.FOLLOW_UP, text, late.getIntent(), now);
        }
    }
}
