package io.parley.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.AuditSteps;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's transcript shows the same entries whether the processor writes TURN records (audit.mode turn) or per-step ones. */
class ConversationLogTest {

    private static AuditEvent step(String id, AuditKind kind, long at) {
        AuditEvent.Builder builder = AuditEvent.newBuilder().setAuditId(id).setConversationId("conv-1").setUserRef("u-ref")
                .setKind(kind).setOccurredAt(Instant.ofEpochMilli(at)).setChannel("web").setEventId("e-1")
                .setAttributes(Map.of("flowVersion", "shop@1"));
        switch (kind) {
            case INBOUND -> builder.setText("where is order 12345").setStatus("MESSAGE");
            case INTENT -> builder.setIntent("order-status");
            case BACKEND_REQUEST -> builder.setIntent("order-status").setConnector("shop-api").setOperation("getOrder");
            case BACKEND_RESPONSE -> builder.setConnector("shop-api").setOperation("getOrder").setStatus("OK").setLatencyMs(30L);
            case REPLY -> builder.setIntent("order-status").setStatus("ANSWER").setLatencyMs(41L).setText("Order 12345 is SHIPPED");
            default -> { }
        }
        return builder.build();
    }

    private static final List<AuditEvent> DETAILED = List.of(step("a/inbound", AuditKind.INBOUND, 1), step("a/intent", AuditKind.INTENT, 2),
            step("r/backend_request", AuditKind.BACKEND_REQUEST, 3), step("r/backend_response", AuditKind.BACKEND_RESPONSE, 33),
            step("a/reply", AuditKind.REPLY, 42));

    private static AuditEvent turnOf(List<AuditEvent> steps) {
        return AuditEvent.newBuilder().setAuditId("a/inbound/turn").setConversationId("conv-1").setUserRef("u-ref")
                .setKind(AuditKind.TURN).setOccurredAt(Instant.ofEpochMilli(42)).setChannel("web").setEventId("e-1")
                .setIntent("order-status").setStatus("ANSWER").setLatencyMs(41L)
                .setSteps(steps.stream().map(AuditSteps::step).toList()).build();
    }

    @Test
    void aTurnRecordShowsAsItsSteps() {
        // Given the same turn as per-step records and as one TURN record
        ConversationLog perStep = new ConversationLog(10, 50);
        ConversationLog perTurn = new ConversationLog(10, 50);

        // When each log reads its records
        DETAILED.forEach(perStep::addRecord);
        List<ObjectNode> added = perTurn.addRecord(turnOf(DETAILED));

        // Then the transcripts are the same, one entry per step, and every step was passed on to listeners
        assertThat(perTurn.snapshot()).isEqualTo(perStep.snapshot());
        assertThat(added).extracting(entry -> entry.get("kind").asText())
                .containsExactly("INBOUND", "INTENT", "BACKEND_REQUEST", "BACKEND_RESPONSE", "REPLY");
        assertThat(perTurn.snapshot().get(0).get("entries").get(0).get("text").asText()).isEqualTo("where is order 12345");
    }

    @Test
    void aRecordWithoutConversationAddsNothing() {
        ConversationLog log = new ConversationLog(10, 50);
        AuditEvent notification = AuditEvent.newBuilder(step("n", AuditKind.NOTIFICATION, 1)).setConversationId(null).build();

        assertThat(log.addRecord(notification)).isEmpty();
        assertThat(log.snapshot()).isEmpty();
    }
}
