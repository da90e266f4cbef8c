package io.parley.processor.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.flow.FlowCatalog;
import io.parley.processor.flow.ClassifierDefinition;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.IntentMatch;
import io.parley.processor.flow.Understanding;
import io.parley.processor.flow.SlotDefinition;
import io.parley.processor.flow.Template;
import io.parley.processor.flow.Timing;
import io.parley.processor.tables.ReferenceTables;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decisions of a turn: which intent a message asks for (rules, postback, classifier), which
 * slot to ask for next, when to call backends, and what a completed step leads to — the next
 * step, the answer, or an error reply. Works on the session inside an {@link Outcome}; never
 * blocks and never does I/O.
 */
final class TurnRunner {

    private final FlowCatalog flows;
    private final AuditTrail audit;
    private final Replies replies;
    private final BackendCalls calls;
    private final TurnEndings endings;
    private final LateAnswers lateAnswers;
    private final Timing classifierTiming;
    private final TableLookups lookups;
    private final ReferenceTables tables;

    TurnRunner(FlowCatalog flows, AuditTrail audit, Replies replies, BackendCalls calls, TurnEndings endings,
               LateAnswers lateAnswers, Timing classifierTiming, ReferenceTables tables, TableLookups lookups) {
        this.tables = tables;
        this.lookups = lookups;
        this.flows = flows;
        this.audit = audit;
        this.replies = replies;
        this.calls = calls;
        this.endings = endings;
        this.lateAnswers = lateAnswers;
        this.classifierTiming = classifierTiming;
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
        Understanding understanding = flows.understand(event.getText());
        boolean canAsk = flows.classifier().isPresent() && event.getText() != null && !event.getText().isBlank();
        if (understanding instanceof Understanding.Matched matched) {
            start(out, event, matched.match(), now);
        } else if (understanding instanceof Understanding.Ambiguous ambiguous) {
            if (canAsk && classifierAskedWhenUnsure()) {
                classify(out, event, now);
            } else {
                endings.ambiguous(out, event.getEventId(), event.getOccurredAt().toEpochMilli(), ambiguous, now);
            }
        } else if (canAsk) {
            classify(out, event, now);
        } else {
            Understanding.NotUnderstood none = (Understanding.NotUnderstood) understanding;
            endings.noMatch(out, event.getEventId(), event.getOccurredAt().toEpochMilli(), none.decidedBy(), now);
        }
    }

    /** Whether the flows' classifier connector decides what the built-in classifier is unsure of (a language model, say). */
    private boolean classifierAskedWhenUnsure() {
        return flows.classifier().map(ClassifierDefinition::askWhenUnsure).orElse(false);
    }

    /** A postback may name an intent directly ({@code payload.intent}); its other entries fill slots. */
    private Optional<IntentMatch> postbackIntent(ChatEvent event) {
        if (event.getType() != ChatEventType.POSTBACK) {
            return Optional.empty();
        }
        return flows.intent(event.getPayload().get("intent"))
                .map(intent -> new IntentMatch(intent, event.getPayload(), "postback"));
    }

    private void start(Outcome out, ChatEvent event, IntentMatch match, long now) {
        Session session = out.current();
        endings.supersede(session);
        IntentDefinition intent = match.intent();
        auditIntent(out, event.getEventId(), intent, match, now);
        Map<String, String> slots = validSlots(intent, match.slots());
        fillFromEntities(intent, slots, event.getText());
        Turn turn = newTurn(event).setIntent(intent.name()).setSlots(slots)
                .setText(readsMessageWhenAnswering(intent) ? event.getText() : null).build();
        session.setTurn(turn);
        proceed(out, turn, intent, now);
    }

    /** "mute for 3 hours": the intent's answer reads how long from the message, so the turn keeps it until then. */
    private static boolean readsMessageWhenAnswering(IntentDefinition intent) {
        return intent.mute() != null && intent.mute().fromMessage();
    }

    private Turn.Builder newTurn(ChatEvent event) {
        return Turn.newBuilder()
                .setEventId(event.getEventId())
                // The turn finishes on the flows it started with, whatever is published meanwhile.
                .setFlowVersion(flows.version())
                .setIntent(null)
                .setSlots(new LinkedHashMap<>())
                .setResults(new LinkedHashMap<>())
                .setFailures(new LinkedHashMap<>())
                .setPending(new ArrayList<>())
                .setStartedAt(event.getOccurredAt());
    }

    private void auditIntent(Outcome out, String eventId, IntentDefinition intent, IntentMatch match, long now) {
        Session session = out.current();
        var entry = audit.entry(AuditKind.INTENT, Ids.audit(Ids.scoped(session.getConversationId(), eventId), AuditKind.INTENT),
                        session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(eventId)
                .intent(intent.name())
                .attribute("matchedBy", match.matchedBy());
        match.evidence().forEach(entry::attribute);
        out.audit(entry.build());
    }

    /** Values for undefined slots, or values a slot does not accept, are left out (the slot is asked for). */
    private static Map<String, String> validSlots(IntentDefinition intent, Map<String, String> candidates) {
        Map<String, String> slots = new LinkedHashMap<>();
        candidates.forEach((name, value) -> intent.slot(name)
                .flatMap(slot -> slot.value(value))
                .ifPresent(normalized -> slots.put(name, normalized)));
        return slots;
    }

    /**
     * Slots the message's own patterns left empty are filled from the entities the message names
     * ("is the blue mug in stock" fills {@code sku} with MUG-01); a value the slot does not accept is left out.
     */
    private void fillFromEntities(IntentDefinition intent, Map<String, String> slots, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        for (SlotDefinition slot : intent.slots().values()) {
            if (slot.entity().isPresent() && !slots.containsKey(slot.name())) {
                entityValue(slot, text).ifPresent(value -> slots.put(slot.name(), value));
            }
        }
    }

    private Optional<String> entityValue(SlotDefinition slot, String text) {
        return slot.entity().flatMap(entity -> flows.entities().find(entity, text, tables)).flatMap(slot::value);
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
            endings.answer(out, turn, intent, TurnOutcome.ANSWERED, now);
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
            endings.sendText(out, turn, event.getEventId(), eventTime, ReplyKind.ANSWER, flows.texts().cancelled(), now);
            endings.end(out, turn, TurnOutcome.CANCELLED, now);
            return;
        }
        // An entity named in the answer ("the blue mug") comes first; else the answer itself is the value.
        Optional<String> answer = entityValue(slot.get(), text).or(() -> slot.get().value(text));
        if (answer.isPresent()) {
            turn.getSlots().put(slot.get().name(), answer.get());
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
            endings.sendText(out, turn, event.getEventId(), eventTime, ReplyKind.FALLBACK, flows.texts().gaveUp(), now);
            endings.end(out, turn, TurnOutcome.GAVE_UP, now);
            return;
        }
        prompt(out, turn, slot.get(), slot.get().invalid(), event.getEventId(), eventTime, now);
    }

    private void prompt(Outcome out, Turn turn, SlotDefinition slot, Template template, String eventId, long eventTime, long now) {
        Session session = out.current();
        String text = template.renderMessage(TemplateScope.of(session, turn));
        replies.send(out, session, eventId, eventId, eventTime, ReplyKind.PROMPT, text, turn.getIntent(), now);
        out.audit(audit.entry(AuditKind.SLOT_PROMPT, Ids.audit(Ids.scoped(session.getConversationId(), eventId), AuditKind.SLOT_PROMPT), session.getUserId(), now)
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
        if (intent.steps().get(stepIndex).lookup().isPresent()) {
            // Answered here and now: the turn goes straight on to its next step or its answer.
            if (lookups.runStep(out, turn, intent, stepIndex)) {
                stepFinished(out, turn, intent, now);
            } else {
                endings.answer(out, turn, intent, TurnOutcome.ANSWERED, now);
            }
            return;
        }
        if (!calls.runStep(out, turn, intent, stepIndex, now)) {
            // What the step needs is missing (say, an order without a tracking id): answer with what is known.
            endings.answer(out, turn, intent, TurnOutcome.ANSWERED, now);
        }
    }

    private void classify(Outcome out, ChatEvent event, long now) {
        Session session = out.current();
        endings.supersede(session);
        Turn turn = newTurn(event)
                .setClassifying(true)
                .setText(event.getText())
                .setDeadline(Instant.ofEpochMilli(now + classifierTiming.deadline().toMillis()))
                .setInterimAt(Instant.ofEpochMilli(now + classifierTiming.interimAfter().toMillis()))
                .build();
        session.setTurn(turn);
        List<String> intents = flows.intents().stream().map(IntentDefinition::name).toList();
        List<String> slots = flows.intents().stream().flatMap(intent -> intent.slots().keySet().stream()).distinct().toList();
        calls.classify(out, turn, flows.classifier().orElseThrow(), intents, slots, now);
    }

    /** Joins a backend answer into its turn, or recognises it as late or duplicate. */
    void onResponse(Outcome out, BackendResponse response, String position, long now) {
        Turn turn = out.current().getTurn();
        Optional<PendingCall> pending = BackendCalls.pendingCall(turn, response.getRequestId());
        if (pending.isEmpty()) {
            if (!lateAnswers.accept(out, response, now)) {
                calls.duplicate(out, response, position, now);
            }
            return;
        }
        calls.accept(out, turn, pending.get(), response, now);
        if (turn.getClassifying()) {
            classified(out, turn, response, now);
            return;
        }
        IntentDefinition intent = flows.intent(turn.getIntent())
                .orElseThrow(() -> new TurnFailedException("intent '" + turn.getIntent() + "' is no longer defined"));
        String kept = turn.getResults().get(pending.get().getCall());
        if (response.getStatus() == BackendStatus.OK && kept != null) {
            saveProfile(out.current(), intent, pending.get(), kept);
        }
        if (turn.getPending().isEmpty()) {
            stepFinished(out, turn, intent, now);
        }
    }

    private static void saveProfile(Session session, IntentDefinition intent, PendingCall pending, String result) {
        boolean wanted = intent.steps().get(pending.getStep()).calls().stream()
                .anyMatch(call -> call.name().equals(pending.getCall()) && call.saveProfile());
        if (wanted) {
            session.getProfile().putAll(ResultJson.topLevelFields(pending.getCall(), result));
        }
    }

    /** Every call of the step has answered: go on to the next step, or answer. */
    private void stepFinished(Outcome out, Turn turn, IntentDefinition intent, long now) {
        int stepIndex = turn.getStepIndex();
        List<String> callsOfStep = intent.steps().get(stepIndex).resultNames();
        List<String> failed = callsOfStep.stream().filter(turn.getFailures()::containsKey).toList();
        if (failed.isEmpty()) {
            if (intent.isLastStep(stepIndex)) {
                endings.answer(out, turn, intent, TurnOutcome.ANSWERED, now);
            } else {
                runStep(out, turn, intent, stepIndex + 1, now);
            }
            return;
        }
        boolean someSucceeded = failed.size() < callsOfStep.size();
        if (someSucceeded && intent.isLastStep(stepIndex)) {
            // The reply template sees failed.<call> and says which part is missing.
            endings.answer(out, turn, intent, TurnOutcome.PARTIAL, now);
        } else {
            endings.backendError(out, turn, intent, turn.getFailures().get(failed.get(0)), now);
        }
    }

    private void classified(Outcome out, Turn turn, BackendResponse response, long now) {
        if (response.getStatus() != BackendStatus.OK) {
            classificationFailed(out, turn, "classifier " + response.getStatus().name(), now);
            return;
        }
        JsonNode result = ResultJson.tree(BackendCalls.CLASSIFY_CALL, response.getResult());
        Optional<IntentDefinition> intent = flows.intent(ResultJson.textField(result, "intent"));
        if (intent.isEmpty()) {
            classificationFailed(out, turn, "classifier named no known intent", now);
            return;
        }
        // "llm", not "classifier": the audit tells a connector's (LLM) classification from the built-in one.
        auditIntent(out, turn.getEventId(), intent.get(), new IntentMatch(intent.get(), Map.of(), IntentMatch.BY_LLM), now);
        Map<String, String> entities = new LinkedHashMap<>();
        JsonNode entityNode = result.get("entities");
        if (entityNode != null && entityNode.isObject()) {
            entityNode.properties().forEach(e -> entities.put(e.getKey(), e.getValue().asText()));
        }
        turn.setClassifying(false);
        if (!readsMessageWhenAnswering(intent.get())) {
            turn.setText(null);
        }
        turn.setIntent(intent.get().name());
        turn.setSlots(validSlots(intent.get(), entities));
        proceed(out, turn, intent.get(), now);
    }

    private void classificationFailed(Outcome out, Turn turn, String reason, long now) {
        out.current().setTurn(null);
        endings.noMatch(out, turn.getEventId(), turn.getStartedAt().toEpochMilli(), reason, now);
    }
}
