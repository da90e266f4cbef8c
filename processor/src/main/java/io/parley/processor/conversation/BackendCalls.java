package io.parley.processor.conversation;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.audit.TextLimit;
import io.parley.processor.flow.CallDefinition;
import io.parley.processor.flow.ClassifierDefinition;
import io.parley.processor.flow.IntentDefinition;
import io.parley.processor.flow.StepDefinition;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mechanics of backend calls: issuing a step's requests (recorded as pending, with the turn's
 * deadline), and taking answers in (removed from pending, recorded as result or failure). Every
 * request and answer is audited. What to do once a step is complete is the turn's decision.
 *
 * <p>A request's own deadline says until when its answer is of any use, and workers stop calling
 * after it. That is the turn's deadline, unless the intent turns late answers into follow-ups:
 * then an answer is wanted for as long as late answers are recognised.
 */
final class BackendCalls {

    /** The call name of classifier requests; the classifier's answer is not a result of the turn. */
    static final String CLASSIFY_CALL = "classify";
    /** Audit attribute: the operation the worker called, when a plain name was called as a version. */
    public static final String CALLED_OPERATION = "calledOperation";
    /** Audit attribute: the first violations of an answer's response schema. */
    public static final String VIOLATIONS = "violations";

    private final AuditTrail audit;
    private final ConversationMetrics metrics;
    private final Duration lateAnswerWindow;
    private final KeptResults kept;
    private final int maxRequestBytes;

    BackendCalls(AuditTrail audit, ConversationMetrics metrics, Duration lateAnswerWindow, KeptResults kept, int maxRequestBytes) {
        this.audit = audit;
        this.metrics = metrics;
        this.lateAnswerWindow = lateAnswerWindow;
        this.kept = kept;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Issues the calls of a step, in parallel.
     *
     * @return {@code false} when the step's {@code when} condition rendered blank and nothing was issued
     */
    boolean runStep(Outcome out, Turn turn, IntentDefinition intent, int stepIndex, long now) {
        Session session = out.current();
        StepDefinition step = intent.steps().get(stepIndex);
        Map<String, Object> scope = TemplateScope.of(session, turn);
        if (step.when().isPresent() && step.when().get().render(scope).isBlank()) {
            return false;
        }
        turn.setStepIndex(stepIndex);
        List<CallDefinition> calls = step.calls();
        for (int index = 0; index < calls.size(); index++) {
            CallDefinition call = calls.get(index);
            Map<String, String> params = new LinkedHashMap<>();
            call.params().forEach((name, template) -> params.put(name, template.render(scope).strip()));
            requireWithinBounds(call, params);
            issue(out, turn, Ids.request(out.current().getConversationId(), turn.getEventId(), stepIndex, index), call.name(), call.connector(),
                    call.operation(), stepIndex, params, answerWantedUntil(turn, intent.timing().lateReply()), now);
        }
        return true;
    }

    /** A request whose parameters Kafka could refuse fails the turn (an error reply) instead. */
    private void requireWithinBounds(CallDefinition call, Map<String, String> params) {
        long bytes = 0;
        for (Map.Entry<String, String> param : params.entrySet()) {
            bytes += KeptResults.utf8Length(param.getKey()) + KeptResults.utf8Length(param.getValue());
        }
        if (bytes > maxRequestBytes) {
            throw new TurnFailedException("the parameters of call '" + call.name() + "' are " + bytes
                    + " bytes; limits.maxRequestBytes allows " + maxRequestBytes);
        }
    }

    /** Asks the classifier which intent the turn's message is, and which slot values it states. */
    void classify(Outcome out, Turn turn, ClassifierDefinition classifier, List<String> intents, List<String> slots, long now) {
        Session session = out.current();
        Map<String, String> params = new LinkedHashMap<>();
        // The message is within inputs.maxTextLength; the request stays within what Kafka accepts.
        params.put("text", TextLimit.cut(turn.getText(), maxRequestBytes / 4));
        params.put("channel", session.getChannel());
        if (session.getLocale() != null) {
            params.put("locale", session.getLocale());
        }
        params.put("intents", String.join(",", intents));
        // What a schema-constrained model (the llm connector's classify) may fill; other classifiers ignore it.
        if (!slots.isEmpty()) {
            params.put("slots", String.join(",", slots));
        }
        // A late classification is no use: the turn has had its fallback by then.
        issue(out, turn, Ids.classification(session.getConversationId(), turn.getEventId()), CLASSIFY_CALL, classifier.connector(),
                classifier.operation(), 0, params, turn.getDeadline(), now);
    }

    private void issue(Outcome out, Turn turn, String requestId, String callName, String connector, String operation,
                       int step, Map<String, String> params, Instant answerWantedUntil, long now) {
        Session session = out.current();
        out.request(BackendRequest.newBuilder()
                .setRequestId(requestId)
                .setConversationId(session.getConversationId())
                .setUserId(session.getUserId())
                .setEventId(turn.getEventId())
                .setConnector(connector)
                .setOperation(operation)
                .setParams(params)
                .setDeadline(answerWantedUntil)
                .setAttempt(1)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .build());
        PendingCall pending = PendingCall.newBuilder()
                .setRequestId(requestId)
                .setCall(callName)
                .setConnector(connector)
                .setOperation(operation)
                .setStep(step)
                .setDeadline(turn.getDeadline())
                .setIssuedAt(Instant.ofEpochMilli(now))
                .build();
        turn.getPending().add(pending);
        out.audit(callAudit(AuditKind.BACKEND_REQUEST, session, turn, pending, now)
                .attribute("step", Integer.toString(step))
                .build());
        metrics.requestIssued(connector, operation);
    }

    private Instant answerWantedUntil(Turn turn, boolean lateReply) {
        return lateReply ? turn.getDeadline().plus(lateAnswerWindow) : turn.getDeadline();
    }

    /** The pending call an answer is for, if the turn waits for it. */
    static Optional<PendingCall> pendingCall(Turn turn, String requestId) {
        if (turn == null) {
            return Optional.empty();
        }
        return turn.getPending().stream().filter(p -> p.getRequestId().equals(requestId)).findFirst();
    }

    /** Takes an awaited answer in: no longer pending, audited, recorded (classifier answers are not results). */
    void accept(Outcome out, Turn turn, PendingCall pending, BackendResponse response, long now) {
        turn.getPending().remove(pending);
        out.audit(responseAudit(AuditKind.BACKEND_RESPONSE, out.current(), turn, pending, response, now).build());
        if (!turn.getClassifying()) {
            record(turn, pending, response);
        }
    }

    /**
     * Records an answer as the call's result (OK: the fields the flow reads) or failure (any other
     * status, or {@link RecordBounds#RESPONSE_TOO_LARGE} when what the flow reads is too large to keep).
     */
    void record(Turn turn, PendingCall pending, BackendResponse response) {
        if (response.getStatus() != BackendStatus.OK) {
            turn.getFailures().put(pending.getCall(), response.getStatus().name());
            return;
        }
        Optional<String> result = kept.keep(turn.getIntent(), pending.getCall(), response.getResult());
        if (result.isPresent()) {
            turn.getResults().put(pending.getCall(), result.get());
        } else {
            turn.getFailures().put(pending.getCall(), RecordBounds.RESPONSE_TOO_LARGE);
            metrics.resultTooLarge(pending.getConnector(), pending.getOperation());
        }
    }

    /** Audits an answer nobody waits for any more (a redelivery, or for a forgotten turn). */
    void duplicate(Outcome out, BackendResponse response, String position, long now) {
        Session session = out.current();
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

    /**
     * The audit record of an answer (BACKEND_RESPONSE, or LATE). It names the operation the worker called
     * when that differs from the flow's ({@code getOrder} called as its default version {@code getOrder@v2}),
     * and for an {@code INVALID_RESPONSE} the first violations of the response schema (pointers and
     * keywords; the worker never puts the answer's values there, and the text is masked all the same).
     */
    AuditTrail.Entry responseAudit(AuditKind kind, Session session, Turn turn, PendingCall pending,
                                   BackendResponse response, long now) {
        AuditTrail.Entry entry = callAudit(kind, session, turn, pending, now)
                .status(response.getStatus().name())
                .latency(response.getLatencyMs());
        if (!response.getOperation().equals(pending.getOperation())) {
            entry.attribute(CALLED_OPERATION, response.getOperation());
        }
        if (response.getStatus() == BackendStatus.INVALID_RESPONSE && response.getError() != null) {
            entry.maskedAttribute(VIOLATIONS, response.getError());
        }
        return entry;
    }

    /** The audit record of something that happened to one call of a turn, identified by its request id and kind. */
    AuditTrail.Entry callAudit(AuditKind kind, Session session, Turn turn, PendingCall pending, long now) {
        return audit.entry(kind, Ids.audit(pending.getRequestId(), kind), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(turn.getEventId())
                .request(pending.getRequestId())
                .intent(turn.getIntent())
                .call(pending.getConnector(), pending.getOperation())
                .attribute("call", pending.getCall());
    }
}
