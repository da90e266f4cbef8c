package io.parley.analytics;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.AuditStep;
import io.parley.schemas.AuditSteps;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A per-step audit stream (the processor's audit.mode detailed) as audit.mode turn writes it: the steps of
 * each conversation's turn (from one INBOUND to the next) in one TURN record, written when the turn ends;
 * records that are not turn steps unchanged.
 */
final class TurnRecords {

    private static final Set<AuditKind> STEPS = EnumSet.of(AuditKind.INBOUND, AuditKind.INTENT, AuditKind.NO_MATCH,
            AuditKind.SLOT_PROMPT, AuditKind.BACKEND_REQUEST, AuditKind.BACKEND_RESPONSE, AuditKind.REPLY,
            AuditKind.INTERIM, AuditKind.TIMEOUT, AuditKind.LATE, AuditKind.ERROR);

    private TurnRecords() {
    }

    static List<AuditEvent> fold(List<AuditEvent> detailed) {
        List<AuditEvent> written = new ArrayList<>();
        Map<String, List<AuditEvent>> open = new LinkedHashMap<>();
        for (AuditEvent record : detailed) {
            if (!STEPS.contains(record.getKind()) || record.getConversationId() == null) {
                written.add(record);
                continue;
            }
            List<AuditEvent> turn = open.get(record.getConversationId());
            if (turn != null && record.getKind() == AuditKind.INBOUND) {
                written.add(turn(turn));
                turn = null;
            }
            if (turn == null) {
                turn = new ArrayList<>();
                open.put(record.getConversationId(), turn);
            }
            turn.add(record);
        }
        open.values().forEach(turn -> written.add(turn(turn)));
        return written;
    }

    private static AuditEvent turn(List<AuditEvent> steps) {
        AuditEvent first = steps.get(0);
        List<AuditStep> carried = steps.stream().map(AuditSteps::step).toList();
        return AuditEvent.newBuilder().setAuditId(first.getAuditId() + "/turn").setConversationId(first.getConversationId())
                .setUserRef(first.getUserRef()).setKind(AuditKind.TURN)
                .setOccurredAt(steps.get(steps.size() - 1).getOccurredAt()).setEventId(first.getEventId())
                .setSteps(carried).build();
    }
}
