package io.parley.processor.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.state.PendingCall;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.schemas.state.TurnSummary;
import java.time.Instant;
import java.util.Map;

/** A session as JSON for the admin lookup: what an operator needs to see what a conversation is waiting for. */
final class SessionJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SessionJson() {
    }

    static String write(Session session) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("conversationId", session.getConversationId());
        json.put("userId", session.getUserId());
        json.put("channel", session.getChannel());
        json.put("locale", session.getLocale());
        json.put("flowVersion", session.getFlowVersion());
        json.set("profile", map(session.getProfile()));
        json.set("turn", session.getTurn() == null ? null : turn(session.getTurn()));
        ArrayNode late = json.putArray("lateTurns");
        session.getLateTurns().forEach(t -> late.add(turn(t)));
        ArrayNode recent = json.putArray("recentTurns");
        for (TurnSummary summary : session.getRecentTurns()) {
            recent.addObject()
                    .put("eventId", summary.getEventId())
                    .put("intent", summary.getIntent())
                    .put("outcome", summary.getOutcome())
                    .put("at", text(summary.getAt()));
        }
        json.put("startedAt", text(session.getStartedAt()));
        json.put("lastActiveAt", text(session.getLastActiveAt()));
        return json.toString();
    }

    private static ObjectNode turn(Turn turn) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("eventId", turn.getEventId());
        json.put("intent", turn.getIntent());
        json.put("classifying", turn.getClassifying());
        json.set("slots", map(turn.getSlots()));
        json.put("awaitingSlot", turn.getAwaitingSlot());
        json.put("stepIndex", turn.getStepIndex());
        json.set("failures", map(turn.getFailures()));
        ArrayNode results = json.putArray("answeredCalls");
        turn.getResults().keySet().forEach(results::add);
        ArrayNode pending = json.putArray("pending");
        for (PendingCall call : turn.getPending()) {
            pending.addObject()
                    .put("requestId", call.getRequestId())
                    .put("call", call.getCall())
                    .put("connector", call.getConnector())
                    .put("operation", call.getOperation())
                    .put("deadline", text(call.getDeadline()));
        }
        json.put("deadline", text(turn.getDeadline()));
        json.put("interimSent", turn.getInterimSent());
        return json;
    }

    private static ObjectNode map(Map<String, String> values) {
        ObjectNode json = MAPPER.createObjectNode();
        values.forEach(json::put);
        return json;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
