package io.parley.processor.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.flow.CallDefinition;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.IntentMatch;
import io.parley.processor.flow.SlotDefinition;
import io.parley.processor.flow.StepDefinition;
import io.parley.processor.flow.Template;
import io.parley.processor.flow.Timing;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The life of a turn: recognising the intent, filling its slots, running its steps of backend
 * calls, joining their answers, and answering — or timing out, cancelling, giving up. Works on
 * the session inside an {@link Outcome}; never blocks and never does I/O.
 */
final class TurnRunner {

    private static final String CLASSIFY_CALL = "classify";
    private static final String NO_INTENT = "none";

    private final FlowCatalog flows;
    private final AuditTrail audit;
    private final Replies replies;
    private final ConversationMetrics metrics;
    private final Timing classifierTiming;
    private final SessionLimits limits;

    TurnRunner(FlowCatalog flows, AuditTrail audit, Replies replies, ConversationMetrics metrics,
               Timing classifierTiming, SessionLimits limits) {
        this.flows = flows;
        this.audit = audit;
        this.replies = replies;
        this.metrics = metrics;
        this.classifierTiming = classifierTiming;
        this.limits = limits;
    }

    // ---- chat events -------------------------------------------------------------------------

    /** A message or postback: answers an awaited slot, or starts whatever intent it asks for. */
    void onMessage(Outcome out, ChatEvent event, long now) {
        Optional<IntentMatch> postback = postbackIntent(event);
        if (postback.isPresent()) {
            start(out, event, postback.get(), now);
            return;
        }
        Turn turn = out.current().getTurn();
        if (turn != null && turn.getAwaitingSlot() != null) {
            answerSlot(out, event, turn, now);
            return;
        }
        matchOrClassify(out, event, now);
    }

    /** A new session: runs the flows' session-start intent (a greeting), if there is one. */
    void onSessionStart(Outcome out, ChatEvent event, long now) {
        flows.sessionStart().ifPresent(intent -> start(out, event, new IntentMatch(intent, Map.of(), "session-start"), now));
    }

    private void matchOrClassify(Outcome out, ChatEvent event, long now) {
        Optional<IntentMatch> match = flows.match(event.getText());
        if (match.isPresent()) {
            start(out, event, match.get(), now);
        } else if (flows.classifier().isPresent() && event.getText() != null && !event.getText().isBlank()) {
            classify(out, event, now);
        } else {
            noMatch(out, event.getEventId(), event.getOccurredAt().toEpochMilli(), "rules", now);
        }
    }

    /** A postback may name an intent directly ({@code payload.intent}); its other entries fill slots. */
    private Optional<IntentMatch> postbackIntent(ChatEvent event) {
        if (event.getType() != io.parley.schemas.ChatEventType.POSTBACK) {
            return Optional.empty();
        }
        return flows.intent(event.getPayload().get("intent"))
                .map(intent -> new IntentMatch(intent, event.getPayload(), "postback"));
    }

    private void start(Outcome out, ChatEvent event, IntentMatch match, long now) {
        Session session = out.current();
        supersede(session);
        IntentDefinition intent = match.intent();
        out.audit(audit.entry(AuditKind.INTENT, Ids.audit(event.getEventId(), AuditKind.INTENT), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(event.getEventId())
                .intent(intent.name())
                .attribute("matchedBy", match.matchedBy())
                .build());
        Turn turn = Turn.newBuilder()
                .setEventId(event.getEventId())
                .setIntent(intent.name())
                .setSlots(validSlots(intent, match.slots()))
                .setResults(new LinkedHashMap<>())
                .setFailures(new LinkedHashMap<>())
                .setPending(new ArrayList<>())
                .setStartedAt(event.getOccurredAt())
                .build();
        session.setTurn(turn);
        proceed(out, turn, intent, now);
    }

    /** Values for undefined slots, or values a slot does not accept, are left out (the slot is asked for). */
    private static Map<String, String> validSlots(IntentDefinition intent, Map<String, String> candidates) {
        Map<String, String> slots = new LinkedHashMap<>();
        candidates.forEach((name, value) -> intent.slot(name)
                .filter(slot -> slot.accepts(value))
                .ifPresent(slot -> slots.put(name, value.strip())));
        return slots;
    }

    /** Asks for the next missing slot, or runs the intent's calls once every slot is filled. */
    private void proceed(Outcome out, Turn turn, IntentDefinition intent, long now) {
        Optional<SlotDefinition> missing = intent.firstMissingSlot(turn.getSlots());
        if (missing.isPresent()) {
            turn.setAwaitingSlot(missing.get().name());
            turn.setSlotAttempts(0);
            prompt(out, turn, missing.get(), missing.get().prompt(), turn.getEventId(), turn.getStartedAt().toEpochMilli(), now);
            return;
        }
        turn.setAwaitingSlot(null);
        if (intent.steps().isEmpty()) {
            answer(out, turn, intent, TurnOutcome.ANSWERED, now);
            return;
        }
        turn.setDeadline(Instant.ofEpochMilli(now + intent.timing().deadline().toMillis()));
        turn.setInterimAt(Instant.ofEpochMilli(now + intent.timing().interimAfter().toMillis()));
        runStep(out, turn, intent, 0, now);
    }

    private void answerSlot(Outcome out, ChatEvent event, Turn turn, long now) {
        Optional<IntentDefinition> intent = flows.intent(turn.getIntent());
        Optional<SlotDefinition> slot = intent.flatMap(i -> i.slot(turn.getAwaitingSlot()));
        if (slot.isEmpty()) {
            // The flows changed since the question was asked; treat the message as a new one.
            out.current().setTurn(null);
            matchOrClassify(out, event, now);
            return;
        }
        String text = event.getText();
        long eventTime = event.getOccurredAt().toEpochMilli();
        if (flows.isCancel(text)) {
            sendText(out, turn, event.getEventId(), eventTime, ReplyKind.ANSWER, flows.texts().cancelled(), now);
            end(out, turn, TurnOutcome.CANCELLED, now);
            return;
        }
        if (slot.get().accepts(text)) {
            turn.getSlots().put(slot.get().name(), text.strip());
            // The answer is now what the turn replies to; request ids derive from it.
            turn.setEventId(event.getEventId());
            turn.setStartedAt(event.getOccurredAt());
            proceed(out, turn, intent.get(), now);
            return;
        }
        Optional<IntentMatch> other = flows.match(text).filter(m -> !m.intent().name().equals(turn.getIntent()));
        if (other.isPresent()) {
            start(out, event, other.get(), now);
            return;
        }
        int attempts = turn.getSlotAttempts() + 1;
        turn.setSlotAttempts(attempts);
        if (attempts > slot.get().retries()) {
            sendText(out, turn, event.getEventId(), eventTime, ReplyKind.FALLBACK, flows.texts().gaveUp(), now);
            end(out, turn, TurnOutcome.GAVE_UP, now);
            return;
        }
        prompt(out, turn, slot.get(), slot.get().invalid(), event.getEventId(), eventTime, now);
    }

    private void prompt(Outcome out, Turn turn, SlotDefinition slot, Template template, String eventId, long eventTime, long now) {
        Session session = out.current();
        String text = template.renderMessage(TemplateScope.of(session, turn));
        replies.send(out, session, eventId, eventId, eventTime, ReplyKind.PROMPT, text, turn.getIntent(), now);
        out.audit(audit.entry(AuditKind.SLOT_PROMPT, Ids.audit(eventId, AuditKind.SLOT_PROMPT), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(eventId)
                .intent(turn.getIntent())
                .attribute("slot", slot.name())
                .attribute("attempt", Integer.toString(turn.getSlotAttempts()))
                .build());
    }

    // ---- backend calls -----------------------------------------------------------------------

    private void runStep(Outcome out, Turn turn, IntentDefinition intent, int stepIndex, long now) {
        Session session = out.current();
        StepDefinition step = intent.steps().get(stepIndex);
        Map<String, Object> scope = TemplateScope.of(session, turn);
        if (step.when().isPresent() && step.when().get().render(scope).isBlank()) {
            // What the step needs is missing (say, an order without a tracking id): answer with what is known.
            answer(out, turn, intent, TurnOutcome.ANSWERED, now);
            return;
        }
        turn.setStepIndex(stepIndex);
        List<CallDefinition> calls = step.calls();
        for (int index = 0; index < calls.size(); index++) {
            CallDefinition call = calls.get(index);
            Map<String, String> params = new LinkedHashMap<>();
            call.params().forEach((name, template) -> params.put(name, template.render(scope).strip()));
            issue(out, turn, Ids.request(turn.getEventId(), stepIndex, index), call.name(), call.connector(),
                    call.operation(), stepIndex, params, now);
        }
    }

    private void issue(Outcome out, Turn turn, String requestId, String callName, String connector, String operation,
                       int step, Map<String, String> params, long now) {
        Session session = out.current();
        out.request(BackendRequest.newBuilder()
                .setRequestId(requestId)
                .setConversationId(session.getConversationId())
                .setUserId(session.getUserId())
                .setEventId(turn.getEventId())
                .setConnector(connector)
                .setOperation(operation)
                .setParams(params)
                .setDeadline(turn.getDeadline())
                .setAttempt(1)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .build());
        turn.getPending().add(PendingCall.newBuilder()
                .setRequestId(requestId)
                .setCall(callName)
                .setConnector(connector)
                .setOperation(operation)
                .setStep(step)
                .setDeadline(turn.getDeadline())
                .setIssuedAt(Instant.ofEpochMilli(now))
                .build());
        out.audit(audit.entry(AuditKind.BACKEND_REQUEST, Ids.audit(requestId, AuditKind.BACKEND_REQUEST), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(turn.getEventId())
                .request(requestId)
                .intent(turn.getIntent())
                .call(connector, operation)
                .attribute("call", callName)
                .attribute("step", Integer.toString(step))
                .build());
        metrics.requestIssued(connector, operation);
    }

    private void classify(Outcome out, ChatEvent event, long now) {
        Session session = out.current();
        supersede(session);
        Turn turn = Turn.newBuilder()
                .setEventId(event.getEventId())
                .setIntent(null)
                .setClassifying(true)
                .setText(event.getText())
                .setSlots(new LinkedHashMap<>())
                .setResults(new LinkedHashMap<>())
                .setFailures(new LinkedHashMap<>())
                .setPending(new ArrayList<>())
                .setStartedAt(event.getOccurredAt())
                .setDeadline(Instant.ofEpochMilli(now + classifierTiming.deadline().toMillis()))
                .setInterimAt(Instant.ofEpochMilli(now + classifierTiming.interimAfter().toMillis()))
                .build();
        session.setTurn(turn);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("text", event.getText());
        params.put("channel", session.getChannel());
        if (session.getLocale() != null) {
            params.put("locale", session.getLocale());
        }
        params.put("intents", flows.intents().stream().map(IntentDefinition::name).collect(Collectors.joining(",")));
        var classifier = flows.classifier().orElseThrow();
        issue(out, turn, Ids.classification(event.getEventId()), CLASSIFY_CALL, classifier.connector(),
                classifier.operation(), 0, params, now);
    }

    // ---- backend responses -------------------------------------------------------------------

    /** Joins a backend answer into its turn, or recognises it as late or duplicate. */
    void onResponse(Outcome out, BackendResponse response, String position, long now) {
        Session session = out.current();
        Turn turn = session.getTurn();
        Optional<PendingCall> pending = pendingCall(turn, response.getRequestId());
        if (pending.isPresent()) {
            answered(out, turn, pending.get(), response, now);
            return;
        }
        for (Turn late : session.getLateTurns()) {
            Optional<PendingCall> latePending = pendingCall(late, response.getRequestId());
            if (latePending.isPresent()) {
                lateAnswer(out, late, latePending.get(), response, now);
                return;
            }
        }
        out.audit(audit.entry(AuditKind.DUPLICATE, Ids.audit(response.getRequestId(), AuditKind.DUPLICATE) + "/" + position,
                        session.getUserId(), now)
                .conversation(session.getConversationId())
                .request(response.getRequestId())
                .call(response.getConnector(), response.getOperation())
                .status(response.getStatus().name())
                .attribute("what", "response")
                .build());
        metrics.duplicate("response");
    }

    private static Optional<PendingCall> pendingCall(Turn turn, String requestId) {
        if (turn == null) {
            return Optional.empty();
        }
        return turn.getPending().stream().filter(p -> p.getRequestId().equals(requestId)).findFirst();
    }

    private void answered(Outcome out, Turn turn, PendingCall pending, BackendResponse response, long now) {
        Session session = out.current();
        turn.getPending().remove(pending);
        out.audit(responseAudit(AuditKind.BACKEND_RESPONSE, session, turn, pending, response, now).build());
        if (turn.getClassifying()) {
            classified(out, turn, response, now);
            return;
        }
        IntentDefinition intent = flows.intent(turn.getIntent())
                .orElseThrow(() -> new TurnFailedException("intent '" + turn.getIntent() + "' is no longer defined"));
        record(turn, pending, response);
        if (response.getStatus() == BackendStatus.OK) {
            saveProfile(session, intent, pending, response);
        }
        if (!turn.getPending().isEmpty()) {
            return;
        }
        stepFinished(out, turn, intent, now);
    }

    private static void record(Turn turn, PendingCall pending, BackendResponse response) {
        if (response.getStatus() == BackendStatus.OK) {
            turn.getResults().put(pending.getCall(), response.getResult() == null ? "{}" : response.getResult());
        } else {
            turn.getFailures().put(pending.getCall(), response.getStatus().name());
        }
    }

    private static void saveProfile(Session session, IntentDefinition intent, PendingCall pending, BackendResponse response) {
        boolean wanted = intent.steps().get(pending.getStep()).calls().stream()
                .anyMatch(call -> call.name().equals(pending.getCall()) && call.saveProfile());
        if (wanted) {
            session.getProfile().putAll(ResultJson.topLevelFields(pending.getCall(), response.getResult()));
        }
    }

    /** Every call of the step has answered: go on to the next step, or answer. */
    private void stepFinished(Outcome out, Turn turn, IntentDefinition intent, long now) {
        int stepIndex = turn.getStepIndex();
        List<String> callsOfStep = intent.steps().get(stepIndex).calls().stream().map(CallDefinition::name).toList();
        List<String> failed = callsOfStep.stream().filter(turn.getFailures()::containsKey).toList();
        if (failed.isEmpty()) {
            if (intent.isLastStep(stepIndex)) {
                answer(out, turn, intent, TurnOutcome.ANSWERED, now);
            } else {
                runStep(out, turn, intent, stepIndex + 1, now);
            }
            return;
        }
        boolean someSucceeded = failed.size() < callsOfStep.size();
        if (someSucceeded && intent.isLastStep(stepIndex)) {
            // The reply template sees failed.<call> and says which part is missing.
            answer(out, turn, intent, TurnOutcome.PARTIAL, now);
        } else {
            backendError(out, turn, intent, BackendStatus.valueOf(turn.getFailures().get(failed.get(0))), now);
        }
    }

    private void classified(Outcome out, Turn turn, BackendResponse response, long now) {
        if (response.getStatus() != BackendStatus.OK) {
            classificationFailed(out, turn, "classifier " + response.getStatus().name(), now);
            return;
        }
        JsonNode result = ResultJson.tree(CLASSIFY_CALL, response.getResult());
        Optional<IntentDefinition> intent = flows.intent(ResultJson.textField(result, "intent"));
        if (intent.isEmpty()) {
            classificationFailed(out, turn, "classifier named no known intent", now);
            return;
        }
        Session session = out.current();
        out.audit(audit.entry(AuditKind.INTENT, Ids.audit(turn.getEventId(), AuditKind.INTENT), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(turn.getEventId())
                .intent(intent.get().name())
                .attribute("matchedBy", "classifier")
                .build());
        Map<String, String> entities = new LinkedHashMap<>();
        JsonNode entityNode = result.get("entities");
        if (entityNode != null && entityNode.isObject()) {
            entityNode.fields().forEachRemaining(e -> entities.put(e.getKey(), e.getValue().asText()));
        }
        turn.setClassifying(false);
        turn.setText(null);
        turn.setIntent(intent.get().name());
        turn.setSlots(validSlots(intent.get(), entities));
        proceed(out, turn, intent.get(), now);
    }

    private void classificationFailed(Outcome out, Turn turn, String reason, long now) {
        out.current().setTurn(null);
        noMatch(out, turn.getEventId(), turn.getStartedAt().toEpochMilli(), reason, now);
    }

    private void lateAnswer(Outcome out, Turn late, PendingCall pending, BackendResponse response, long now) {
        Session session = out.current();
        late.getPending().remove(pending);
        record(late, pending, response);
        Optional<IntentDefinition> intent = flows.intent(late.getIntent());
        boolean complete = late.getPending().isEmpty();
        boolean deliver = complete && intent.isPresent() && intent.get().timing().lateReply()
                && late.getFailures().isEmpty() && intent.get().isLastStep(late.getStepIndex());
        out.audit(responseAudit(AuditKind.LATE, session, late, pending, response, now)
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

    private AuditTrail.Entry responseAudit(AuditKind kind, Session session, Turn turn, PendingCall pending,
                                           BackendResponse response, long now) {
        return audit.entry(kind, Ids.audit(pending.getRequestId(), kind), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(turn.getEventId())
                .request(pending.getRequestId())
                .intent(turn.getIntent())
                .call(pending.getConnector(), pending.getOperation())
                .status(response.getStatus().name())
                .latency(response.getLatencyMs())
                .attribute("call", pending.getCall());
    }

    // ---- timers ------------------------------------------------------------------------------

    /** Sends what is due at {@code now}: the fallback at the deadline, else the still-working message. */
    void onTimers(Outcome out, long now) {
        Session session = out.current();
        session.getLateTurns().removeIf(late -> isForgotten(late, now));
        Turn turn = session.getTurn();
        if (turn == null || turn.getPending().isEmpty()) {
            return;
        }
        Optional<IntentDefinition> intent = flows.intent(turn.getIntent());
        if (turn.getDeadline() != null && turn.getDeadline().toEpochMilli() <= now) {
            for (PendingCall pending : turn.getPending()) {
                out.audit(audit.entry(AuditKind.TIMEOUT, Ids.audit(pending.getRequestId(), AuditKind.TIMEOUT), session.getUserId(), now)
                        .conversation(session.getConversationId())
                        .channel(session.getChannel())
                        .event(turn.getEventId())
                        .request(pending.getRequestId())
                        .intent(turn.getIntent())
                        .call(pending.getConnector(), pending.getOperation())
                        .attribute("call", pending.getCall())
                        .build());
                metrics.callTimedOut(pending.getConnector(), pending.getOperation());
            }
            sendText(out, turn, turn.getEventId(), turn.getStartedAt().toEpochMilli(), ReplyKind.FALLBACK,
                    intent.map(IntentDefinition::fallback).orElse(flows.texts().fallback()), now);
            keepForLateAnswers(session, turn);
            end(out, turn, TurnOutcome.TIMED_OUT, now);
            return;
        }
        if (!turn.getInterimSent() && turn.getInterimAt() != null && turn.getInterimAt().toEpochMilli() <= now) {
            sendText(out, turn, turn.getEventId(), turn.getStartedAt().toEpochMilli(), ReplyKind.INTERIM,
                    intent.map(IntentDefinition::interim).orElse(flows.texts().interim()), now);
            turn.setInterimSent(true);
            metrics.interimSent();
        }
    }

    /** Whether a late turn has waited long enough for its answers. */
    boolean isForgotten(Turn late, long now) {
        return late.getDeadline() == null || late.getDeadline().toEpochMilli() + limits.lateAnswerWindow().toMillis() < now;
    }

    // ---- answers and endings -----------------------------------------------------------------

    private void answer(Outcome out, Turn turn, IntentDefinition intent, TurnOutcome outcome, long now) {
        Session session = out.current();
        String text = intent.reply().renderMessage(TemplateScope.of(session, turn));
        replies.send(out, session, turn.getEventId(), turn.getEventId(), turn.getStartedAt().toEpochMilli(),
                ReplyKind.ANSWER, text, intent.name(), now);
        end(out, turn, outcome, now);
    }

    private void backendError(Outcome out, Turn turn, IntentDefinition intent, BackendStatus status, long now) {
        Session session = out.current();
        Template template = intent.errorReply(status).orElse(flows.texts().backendError());
        Map<String, Object> scope = TemplateScope.of(session, turn);
        scope.put("error", Map.of("status", status.name()));
        replies.send(out, session, turn.getEventId(), turn.getEventId(), turn.getStartedAt().toEpochMilli(),
                ReplyKind.ANSWER, template.renderMessage(scope), intent.name(), now);
        end(out, turn, TurnOutcome.BACKEND_ERROR, now);
    }

    private void noMatch(Outcome out, String eventId, long eventTime, String decidedBy, long now) {
        Session session = out.current();
        out.audit(audit.entry(AuditKind.NO_MATCH, Ids.audit(eventId, AuditKind.NO_MATCH), session.getUserId(), now)
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

    private void sendText(Outcome out, Turn turn, String eventId, long eventTime, ReplyKind kind, Template template, long now) {
        Session session = out.current();
        String text = template.renderMessage(TemplateScope.of(session, turn));
        replies.send(out, session, eventId, eventId, eventTime, kind, text, turn.getIntent(), now);
    }

    /** Ends the current turn: it leaves the session and is summarised. */
    void end(Outcome out, Turn turn, TurnOutcome outcome, long now) {
        Session session = out.current();
        session.setTurn(null);
        summarise(session, turn.getEventId(), turn.getIntent(), outcomeKind(outcome), now);
        metrics.turnEnded(turn.getIntent() == null ? NO_INTENT : turn.getIntent(), outcome);
    }

    private static ReplyKind outcomeKind(TurnOutcome outcome) {
        return switch (outcome) {
            case TIMED_OUT, GAVE_UP, NO_MATCH -> ReplyKind.FALLBACK;
            case ERROR -> ReplyKind.ERROR;
            default -> ReplyKind.ANSWER;
        };
    }

    private void summarise(Session session, String eventId, String intent, ReplyKind outcome, long now) {
        List<TurnSummary> recent = session.getRecentTurns();
        recent.add(TurnSummary.newBuilder().setEventId(eventId).setIntent(intent).setOutcome(outcome.name())
                .setAt(Instant.ofEpochMilli(now)).build());
        while (recent.size() > limits.recentTurns()) {
            recent.remove(0);
        }
    }

    /** A new intent replaces the current turn; calls it still waits for may answer later, as follow-ups. */
    private void supersede(Session session) {
        Turn turn = session.getTurn();
        if (turn == null) {
            return;
        }
        keepForLateAnswers(session, turn);
        session.setTurn(null);
        metrics.turnEnded(turn.getIntent() == null ? NO_INTENT : turn.getIntent(), TurnOutcome.SUPERSEDED);
    }

    private void keepForLateAnswers(Session session, Turn turn) {
        if (turn.getPending().isEmpty()) {
            return;
        }
        List<Turn> late = session.getLateTurns();
        late.add(turn);
        while (late.size() > limits.lateTurns()) {
            late.remove(0);
        }
    }
}
