package io.parley.processor.conversation;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.Understanding;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.Template;
import io.parley.schemas.AuditKind;
import io.parley.schemas.MuteCommand;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How turns end and what the user is told: the answer, an error reply, the no-match fallback,
 * or a turn superseded by a new intent. Also keeps the session's bounded memory of ended turns.
 */
final class TurnEndings {

    static final String NO_INTENT = "none";

    private final FlowCatalog flows;
    private final AuditTrail audit;
    private final Replies replies;
    private final ConversationMetrics metrics;
    private final SessionLimits limits;

    TurnEndings(FlowCatalog flows, AuditTrail audit, Replies replies, ConversationMetrics metrics, SessionLimits limits) {
        this.flows = flows;
        this.audit = audit;
        this.replies = replies;
        this.metrics = metrics;
        this.limits = limits;
    }

    /** Renders the intent's reply with what the turn gathered, and ends the turn. */
    void answer(Outcome out, Turn turn, IntentDefinition intent, TurnOutcome outcome, long now) {
        Session session = out.current();
        Map<String, Object> scope = TemplateScope.of(session, turn);
        Optional<MuteCommand> mute = intent.mute() == null ? Optional.empty()
                : AlertMutes.command(session, intent.mute(), turn, now);
        mute.ifPresent(command -> scope.put("mute", AlertMutes.scope(command)));
        String text = intent.reply().renderMessage(scope);
        replies.send(out, session, turn.getEventId(), turn.getEventId(), turn.getStartedAt().toEpochMilli(),
                ReplyKind.ANSWER, text, intent.name(), now);
        mute.ifPresent(out::mute);
        end(out, turn, outcome, now);
    }

    /** Sends the intent's error reply for the status (or the default one), and ends the turn. */
    void backendError(Outcome out, Turn turn, IntentDefinition intent, String status, long now) {
        Session session = out.current();
        Template template = intent.errorReply(status).orElse(flows.texts().backendError());
        Map<String, Object> scope = TemplateScope.of(session, turn);
        scope.put("error", Map.of("status", status));
        replies.send(out, session, turn.getEventId(), turn.getEventId(), turn.getStartedAt().toEpochMilli(),
                ReplyKind.ANSWER, template.renderMessage(scope), intent.name(), now);
        end(out, turn, TurnOutcome.BACKEND_ERROR, now);
    }

    /**
     * Tells the user the message was not understood. A turn already waiting for backends is left
     * alone: "hello?" while an order is being looked up must not lose the order's answer.
     *
     * @param decidedBy what found no intent ({@code rules}, or the classifier's verdict), for the audit
     */
    void noMatch(Outcome out, String eventId, long eventTime, String decidedBy, long now) {
        Session session = out.current();
        out.audit(audit.entry(AuditKind.NO_MATCH, Ids.audit(Ids.scoped(session.getConversationId(), eventId), AuditKind.NO_MATCH), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(eventId)
                .attribute("decidedBy", decidedBy)
                .build());
        String text = flows.texts().noMatch().renderMessage(TemplateScope.of(session, null));
        replies.send(out, session, eventId, eventId, eventTime, ReplyKind.FALLBACK, text, null, now);
        summarise(session, eventId, null, ReplyKind.FALLBACK, now);
        metrics.turnEnded(NO_INTENT, TurnOutcome.NO_MATCH);
    }

    /**
     * Asks which of the intents the classifier could not tell apart the user meant: their titles
     * are the quick replies, and a reply that is exactly a title selects that intent.
     */
    void ambiguous(Outcome out, String eventId, long eventTime, Understanding.Ambiguous ambiguous, long now) {
        Session session = out.current();
        out.audit(audit.entry(AuditKind.NO_MATCH, Ids.audit(Ids.scoped(session.getConversationId(), eventId), AuditKind.NO_MATCH), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(eventId)
                .attribute("decidedBy", "classifier-unsure")
                .attribute("classifier.model", ambiguous.model())
                .attribute("classifier.top", ambiguous.ranked().stream().limit(3)
                        .map(r -> r.intent() + ":" + String.format(java.util.Locale.ROOT, "%.2f", r.confidence()))
                        .collect(java.util.stream.Collectors.joining(",")))
                .build());
        String text = flows.texts().didYouMean().renderMessage(TemplateScope.of(session, null));
        List<String> titles = ambiguous.choices().stream().map(IntentDefinition::title).toList();
        replies.send(out, session, eventId, eventId, eventTime, ReplyKind.PROMPT, text, null, titles, now);
        summarise(session, eventId, null, ReplyKind.PROMPT, now);
        metrics.turnEnded(NO_INTENT, TurnOutcome.NO_MATCH);
    }

    /** Sends a text rendered with the turn's data (a prompt-free message such as interim or fallback). */
    void sendText(Outcome out, Turn turn, String eventId, long eventTime, ReplyKind kind, Template template, long now) {
        Session session = out.current();
        String text = template.renderMessage(TemplateScope.of(session, turn));
        replies.send(out, session, eventId, eventId, eventTime, kind, text, turn.getIntent(), now);
    }

    /** Ends the current turn: it leaves the session and is summarised. */
    void end(Outcome out, Turn turn, TurnOutcome outcome, long now) {
        Session session = out.current();
        session.setTurn(null);
        summarise(session, turn.getEventId(), turn.getIntent(), outcomeKind(outcome), now);
        metrics.turnEnded(intentName(turn), outcome);
    }

    /** A new intent replaces the current turn; calls it still waits for may answer later, as follow-ups. */
    void supersede(Session session) {
        Turn turn = session.getTurn();
        if (turn == null) {
            return;
        }
        keepForLateAnswers(session, turn);
        session.setTurn(null);
        metrics.turnEnded(intentName(turn), TurnOutcome.SUPERSEDED);
    }

    /** Remembers a turn that ended with calls unanswered, so their answers are recognised as late. */
    void keepForLateAnswers(Session session, Turn turn) {
        if (turn.getPending().isEmpty()) {
            return;
        }
        List<Turn> late = session.getLateTurns();
        late.add(turn);
        while (late.size() > limits.lateTurns()) {
            late.remove(0);
        }
    }

    /** Forgets late turns that have waited long enough for their answers. */
    void forgetOldLateTurns(Session session, long now) {
        long window = limits.lateAnswerWindow().toMillis();
        session.getLateTurns().removeIf(late -> late.getDeadline() == null || late.getDeadline().toEpochMilli() + window < now);
    }

    private void summarise(Session session, String eventId, String intent, ReplyKind outcome, long now) {
        List<TurnSummary> recent = session.getRecentTurns();
        recent.add(TurnSummary.newBuilder().setEventId(eventId).setIntent(intent).setOutcome(outcome.name())
                .setAt(Instant.ofEpochMilli(now)).build());
        while (recent.size() > limits.recentTurns()) {
            recent.remove(0);
        }
    }

    private static ReplyKind outcomeKind(TurnOutcome outcome) {
        return switch (outcome) {
            case TIMED_OUT, GAVE_UP, NO_MATCH -> ReplyKind.FALLBACK;
            case ERROR -> ReplyKind.ERROR;
            default -> ReplyKind.ANSWER;
        };
    }

    private static String intentName(Turn turn) {
        return turn.getIntent() == null ? NO_INTENT : turn.getIntent();
    }
}
