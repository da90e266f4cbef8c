package io.parley.schemas;

import io.parley.serde.AvroTrust;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of an audit record as every reader of the audit stream sees them: a TURN record (the
 * processor's default {@code audit.mode: turn}) is its steps, each as the record {@code detailed}
 * mode writes for it; every other record is itself. Readers that explode records here see the
 * same steps in both modes.
 */
public final class AuditSteps {

    static {
        // Building records copies nested AuditStep records, which Avro 1.12 allows only for trusted classes.
        AvroTrust.ensureTrusted();
    }

    private AuditSteps() {
    }

    /** The per-step records {@code record} stands for, in order. */
    public static List<AuditEvent> of(AuditEvent record) {
        if (record.getKind() != AuditKind.TURN) {
            return List.of(record);
        }
        List<AuditStep> carried = record.getSteps() == null ? List.of() : record.getSteps();
        List<AuditEvent> steps = new ArrayList<>(carried.size());
        for (AuditStep step : carried) {
            steps.add(AuditEvent.newBuilder()
                    .setAuditId(step.getAuditId())
                    .setConversationId(record.getConversationId())
                    .setUserRef(record.getUserRef())
                    .setKind(step.getKind())
                    .setOccurredAt(step.getOccurredAt())
                    .setChannel(step.getChannel())
                    .setEventId(step.getEventId())
                    .setRequestId(step.getRequestId())
                    .setIntent(step.getIntent())
                    .setConnector(step.getConnector())
                    .setOperation(step.getOperation())
                    .setStatus(step.getStatus())
                    .setLatencyMs(step.getLatencyMs())
                    .setText(step.getText())
                    .setAttributes(step.getAttributes())
                    .build());
        }
        return steps;
    }

    /** The step a per-step record is inside a TURN record (its conversation and user are the turn's). */
    public static AuditStep step(AuditEvent record) {
        return AuditStep.newBuilder()
                .setAuditId(record.getAuditId())
                .setKind(record.getKind())
                .setOccurredAt(record.getOccurredAt())
                .setChannel(record.getChannel())
                .setEventId(record.getEventId())
                .setRequestId(record.getRequestId())
                .setIntent(record.getIntent())
                .setConnector(record.getConnector())
                .setOperation(record.getOperation())
                .setStatus(record.getStatus())
                .setLatencyMs(record.getLatencyMs())
                .setText(record.getText())
                .setAttributes(record.getAttributes())
                .build();
    }
}
