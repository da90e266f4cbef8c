package io.parley.processor.conversation;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.TemplateRenderException;
import io.parley.processor.flow.Timing;
import io.parley.processor.tables.ReferenceTables;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * The conversation logic, free of Kafka: given the stored session and one input (a chat event, a
 * backend answer, or the passing of time), it decides the new session and the records to emit.
 * The caller stores and emits them; time comes in as {@code now} (the stream's wall clock).
 *
 * <p>A turn that fails inside Parley (a template that cannot render, a result that is not JSON)
 * gives the user an ERROR reply and an ERROR audit record; the session goes on without that turn.
 */
public final class ConversationEngine {

    private static final String OVER_BUDGET = "the turn took more CPU time than limits.turnCpuBudget";

    private final FlowCatalog flows;
    private final AuditTrail audit;
    private final Replies replies;
    private final TurnEndings endings;
    private final TurnRunner turns;
    private final TurnTimers timers;
    private final ConversationMetrics metrics;
    private final RecordBounds bounds;
    private final TurnAudits turnAudits;

    public ConversationEngine(FlowCatalog flows, AuditTrail audit, ConversationMetrics metrics, Timing classifierTiming,
                              SessionLimits limits) {
        this(flows, audit, metrics, classifierTiming, limits, RecordBounds.defaults());
    }

    /** @param bounds how large results, sessions, requests and replies may grow */
    public ConversationEngine(FlowCatalog flows, AuditTrail audit, ConversationMetrics metrics, Timing classifierTiming,
                              SessionLimits limits, RecordBounds bounds) {
        this(flows, audit, metrics, classifierTiming, limits, bounds, ReferenceTables.NONE);
    }

    /** @param tables the flows' reference tables, read by lookup steps and slot entities */
    public ConversationEngine(FlowCatalog flows, AuditTrail audit, ConversationMetrics metrics, Timing classifierTiming,
                              SessionLimits limits, RecordBounds bounds, ReferenceTables tables) {
        this.flows = flows;
        // Every record of a turn names the flow version it ran on.
        audit = audit.withFlowVersion(flows.version());
        this.audit = audit;
        this.turnAudits = new TurnAudits(audit, bounds.maxSessionBytes());
        this.metrics = metrics;
        this.bounds = bounds;
        this.replies = new Replies(audit, metrics, bounds.maxReplyChars());
        this.endings = new TurnEndings(flows, audit, replies, metrics, limits);
        KeptResults kept = new KeptResults(flows, bounds.maxResultBytes());
        BackendCalls calls = new BackendCalls(audit, metrics, limits.lateAnswerWindow(), kept, bounds.maxRequestBytes());
        this.turns = new TurnRunner(flows, audit, replies, calls, endings, new LateAnswers(flows, calls, replies, metrics),
                classifierTiming, tables, new TableLookups(tables, kept));
        this.timers = new TurnTimers(flows, calls, endings, metrics);
    }

    /** The version of the flows this engine runs (turns it starts record it). */
    public String flowVersion() {
        return flows.version();
    }

    /**
     * Handles a chat event that is not a duplicate.
     *
     * @param stored the conversation's session, or {@code null} when there is none
     */
    public Outcome onChatEvent(Session stored, ChatEvent event, long now) {
        Outcome out = new Outcome(stored == null ? null : SessionCopies.mutableCopy(stored));
        out.audit(audit.entry(AuditKind.INBOUND, Ids.audit(Ids.scoped(event.getConversationId(), event.getEventId()), AuditKind.INBOUND), event.getUserId(), now)
                .conversation(event.getConversationId())
                .channel(event.getChannel())
                .event(event.getEventId())
                .status(event.getType().name())
                .text(event.getText())
                .build());
        switch (event.getType()) {
            case ERASE -> {
                erase(out, event, now);
                return turnAudits.fold(stored, out);
            }
            case SESSION_END -> {
                out.session(null);
                return turnAudits.fold(stored, out);
            }
            default -> {
                // handled below
            }
        }
        out.session(sessionFor(out.current(), event, now));
        Outcome.Mark mark = out.mark();
        try {
            switch (event.getType()) {
                case SESSION_START -> turns.onSessionStart(out, event, now);
                default -> turns.onMessage(out, event, now);
            }
        } catch (TemplateRenderException | TurnFailedException e) {
            out.rollbackTo(mark);
            fail(out, event.getEventId(), event.getOccurredAt().toEpochMilli(), e, now);
        }
        keepWithinBounds(out, mark, event.getEventId(), event.getOccurredAt().toEpochMilli(), now);
        return turnAudits.fold(stored, out);
    }

    /**
     * Audits a chat event that was seen before; nothing else happens (the outcome's session is
     * empty and is not to be stored).
     */
    public Outcome onDuplicateEvent(ChatEvent event, String position, long now) {
        Outcome out = new Outcome(null);
        out.audit(audit.entry(AuditKind.DUPLICATE, Ids.audit(Ids.scoped(event.getConversationId(), event.getEventId()), AuditKind.DUPLICATE) + "/" + position,
                        event.getUserId(), now)
                .conversation(event.getConversationId())
                .channel(event.getChannel())
                .event(event.getEventId())
                .attribute("what", "event")
                .build());
        metrics.duplicate("event");
        return out;
    }

    /**
     * Audits a chat event refused because its user may not act on the conversation (see
     * {@link SessionOwnership}); nothing else happens (the outcome's session is empty and is not to
     * be stored). The record names the event's user, never the owner.
     */
    public Outcome onRefusedEvent(ChatEvent event, String reason, long now) {
        Outcome out = new Outcome(null);
        out.audit(audit.entry(AuditKind.SECURITY, Ids.audit(Ids.scoped(event.getConversationId(), event.getEventId()), AuditKind.SECURITY),
                        event.getUserId(), now)
                .conversation(event.getConversationId())
                .channel(event.getChannel())
                .event(event.getEventId())
                .status(event.getType().name())
                .attribute("reason", reason)
                .build());
        return out;
    }

    /**
     * Tells the user that a message was refused because one of its fields is beyond the
     * {@code inputs:} limits (the caller sends the event to the dead-letter topic). Nothing is
     * stored; the message is neither repeated nor audited, only which field was too large.
     */
    public Outcome onOversizedEvent(ChatEvent event, String detail, long now) {
        Outcome out = new Outcome(null);
        Session addressee = newSession(event, now);
        addressee.setLocale(null);
        out.audit(audit.entry(AuditKind.ERROR, Ids.audit(Ids.scoped(event.getConversationId(), event.getEventId()), AuditKind.ERROR),
                        event.getUserId(), now)
                .conversation(event.getConversationId())
                .channel(event.getChannel())
                .event(event.getEventId())
                .status("FIELD_TOO_LARGE")
                .attribute("reason", detail)
                .build());
        String text = flows.texts().tooLarge().renderMessage(TemplateScope.of(addressee, null));
        replies.send(out, addressee, event.getEventId(), event.getEventId(), event.getOccurredAt().toEpochMilli(),
                ReplyKind.ERROR, text, null, now);
        return out;
    }

    /**
     * Handles a backend answer for a conversation that has a session. An answer read at or after
     * its turn's deadline is late, even when the punctuator has not fired that deadline yet.
     *
     * @param position where the answer was read (topic-partition-offset); names a duplicate's audit record
     */
    public Outcome onResponse(Session stored, BackendResponse response, String position, long now) {
        Outcome out = new Outcome(SessionCopies.mutableCopy(stored));
        Turn turn = stored.getTurn();
        Outcome.Mark mark = out.mark();
        try {
            // The deadline decides, not the race between the answer and the punctuator: an answer read
            // after it finds the fallback sent and is taken as late (a follow-up, if the flow allows).
            timers.timeOutIfDue(out, now);
            turns.onResponse(out, response, position, now);
        } catch (TemplateRenderException | TurnFailedException e) {
            out.rollbackTo(mark);
            Optional<Turn> late = LateAnswers.turnWaitingFor(stored, response.getRequestId());
            if (late.isPresent()) {
                failLate(out, late.get(), e, now);
            } else {
                fail(out, turn == null ? response.getRequestId() : turn.getEventId(),
                        turn == null ? now : turn.getStartedAt().toEpochMilli(), e, now);
            }
        }
        keepWithinBounds(out, mark, turn == null ? response.getRequestId() : turn.getEventId(),
                turn == null ? now : turn.getStartedAt().toEpochMilli(), now);
        return turnAudits.fold(stored, out);
    }

    /** Sends what is due at {@code now}: still-working messages, fallbacks at deadlines. */
    public Outcome onTimers(Session stored, long now) {
        Outcome out = new Outcome(SessionCopies.mutableCopy(stored));
        Turn turn = stored.getTurn();
        Outcome.Mark mark = out.mark();
        try {
            timers.onTimers(out, now);
        } catch (TemplateRenderException | TurnFailedException e) {
            out.rollbackTo(mark);
            fail(out, turn == null ? stored.getConversationId() : turn.getEventId(),
                    turn == null ? now : turn.getStartedAt().toEpochMilli(), e, now);
        }
        keepWithinBounds(out, mark, turn == null ? stored.getConversationId() : turn.getEventId(),
                turn == null ? now : turn.getStartedAt().toEpochMilli(), now);
        return turnAudits.fold(stored, out);
    }

    /**
     * An idle session whose time to live has passed: it is not stored any more. A session does not
     * expire before the deadline of a turn it waits on, but the punctuator reaches at most so many
     * deadlines per run (a processor back from a long stop finds thousands due at once), so a due
     * deadline is fired first here: its user gets the fallback rather than silence. Steps of a turn
     * that would still wait after that are audited in their TURN record, not dropped with the session.
     */
    public Outcome onExpiry(Session stored, long now) {
        Outcome out = onTimers(stored, now);
        AuditEvent stillWaiting = out.current() == null ? null : out.current().getPendingAudit();
        out.session(null);
        if (stillWaiting != null) {
            out.audit(stillWaiting);
        }
        return out;
    }

    /**
     * A chat event whose handling took more CPU time than its budget: what it decided is dropped
     * (the caller discards that outcome), the session stays as it was, and the user hears that
     * something went wrong. Counted.
     *
     * @param stored the conversation's session, or {@code null} when there is none (none is created)
     */
    public Outcome onChatEventOverBudget(Session stored, ChatEvent event, long now) {
        metrics.turnOverBudget();
        Outcome out = new Outcome(stored == null ? newSession(event, now) : SessionCopies.mutableCopy(stored));
        auditError(out, event.getEventId(), null, new TurnFailedException(OVER_BUDGET), now);
        sendError(out, event.getEventId(), event.getOccurredAt().toEpochMilli(), null, now);
        if (stored == null) {
            out.session(null);
        }
        return turnAudits.fold(stored, out);
    }

    /**
     * A backend answer whose handling took more CPU time than its budget: the turn it answers is
     * ended with an error reply instead (the caller discards that outcome). Counted.
     */
    public Outcome onResponseOverBudget(Session stored, BackendResponse response, long now) {
        metrics.turnOverBudget();
        Outcome out = new Outcome(SessionCopies.mutableCopy(stored));
        TurnFailedException cause = new TurnFailedException(OVER_BUDGET);
        Optional<Turn> late = LateAnswers.turnWaitingFor(stored, response.getRequestId());
        Turn turn = stored.getTurn();
        if (late.isPresent()) {
            failLate(out, late.get(), cause, now);
        } else if (turn != null && BackendCalls.pendingCall(turn, response.getRequestId()).isPresent()) {
            fail(out, turn.getEventId(), turn.getStartedAt().toEpochMilli(), cause, now);
        }
        return turnAudits.fold(stored, out);
    }

    /**
     * A session larger than {@code maxSessionBytes} is not stored: what the input emitted is taken
     * back, the turn ends with an error reply, and if that is not enough the turns kept for late
     * answers, the profile and the recent turns go, in that order.
     */
    private void keepWithinBounds(Outcome out, Outcome.Mark mark, String eventId, long eventTime, long now) {
        Session session = out.current();
        if (session == null || SessionSize.fits(session, bounds.maxSessionBytes())) {
            return;
        }
        metrics.sessionTooLarge();
        out.rollbackTo(mark);
        fail(out, eventId, eventTime, new TurnFailedException("the session would be larger than limits.maxSessionBytes ("
                + bounds.maxSessionBytes() + " bytes)"), now);
        if (!SessionSize.fits(session, bounds.maxSessionBytes())) {
            session.getLateTurns().clear();
        }
        if (!SessionSize.fits(session, bounds.maxSessionBytes())) {
            session.getProfile().clear();
        }
        if (!SessionSize.fits(session, bounds.maxSessionBytes())) {
            session.getRecentTurns().clear();
        }
    }

    /** The session an event continues: a new one when there is none or the user is another one. */
    private Session sessionFor(Session stored, ChatEvent event, long now) {
        if (stored == null || !stored.getUserId().equals(event.getUserId())) {
            // Another user in the same conversation must not see the previous user's slots or profile.
            return newSession(event, now);
        }
        stored.setChannel(event.getChannel());
        if (event.getLocale() != null) {
            stored.setLocale(event.getLocale());
        }
        stored.setLastActiveAt(Instant.ofEpochMilli(now));
        endings.forgetOldLateTurns(stored, now);
        return stored;
    }

    private Session newSession(ChatEvent event, long now) {
        return Session.newBuilder()
                .setConversationId(event.getConversationId())
                .setUserId(event.getUserId())
                .setChannel(event.getChannel())
                .setLocale(event.getLocale())
                .setFlowVersion(flows.version())
                .setProfile(new LinkedHashMap<>())
                .setTurn(null)
                .setLateTurns(new ArrayList<>())
                .setRecentTurns(new ArrayList<>())
                .setStartedAt(Instant.ofEpochMilli(now))
                .setLastActiveAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** Forgets the conversation; the audit record says so without any text. */
    private void erase(Outcome out, ChatEvent event, long now) {
        out.session(null);
        out.audit(audit.entry(AuditKind.ERASED, Ids.audit(Ids.scoped(event.getConversationId(), event.getEventId()), AuditKind.ERASED), event.getUserId(), now)
                .conversation(event.getConversationId())
                .channel(event.getChannel())
                .event(event.getEventId())
                .build());
        Session addressee = newSession(event, now);
        String text = flows.texts().erased().renderMessage(TemplateScope.of(addressee, null));
        replies.send(out, addressee, event.getEventId(), event.getEventId(), event.getOccurredAt().toEpochMilli(),
                ReplyKind.ANSWER, text, null, now);
    }

    private void fail(Outcome out, String eventId, long eventTime, RuntimeException cause, long now) {
        Session session = out.current();
        Turn turn = session.getTurn();
        String intent = turn == null ? null : turn.getIntent();
        auditError(out, eventId, intent, cause, now);
        if (turn != null) {
            endings.end(out, turn, TurnOutcome.ERROR, now);
        } else {
            metrics.turnEnded(TurnEndings.NO_INTENT, TurnOutcome.ERROR);
        }
        sendError(out, eventId, eventTime, intent, now);
    }

    /**
     * A late answer (its turn already ended) could not be made into its follow-up: the user hears so
     * about the message it answers, and the turn under way, if any, goes on untouched.
     */
    private void failLate(Outcome out, Turn late, RuntimeException cause, long now) {
        out.current().getLateTurns().removeIf(turn -> turn.getEventId().equals(late.getEventId()));
        auditError(out, late.getEventId(), late.getIntent(), cause, now);
        sendError(out, late.getEventId(), late.getStartedAt().toEpochMilli(), late.getIntent(), now);
    }

    private void auditError(Outcome out, String eventId, String intent, RuntimeException cause, long now) {
        Session session = out.current();
        out.audit(audit.entry(AuditKind.ERROR, Ids.audit(Ids.scoped(session.getConversationId(), eventId), AuditKind.ERROR), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(eventId)
                .intent(intent)
                .status(cause.getClass().getSimpleName())
                .attribute("reason", cause.getMessage())
                .build());
    }

    private void sendError(Outcome out, String eventId, long eventTime, String intent, long now) {
        Session session = out.current();
        replies.send(out, session, eventId, eventId, eventTime, ReplyKind.ERROR,
                flows.texts().error().render(TemplateScope.of(session, null)).strip(), intent, now);
    }
}
