package io.parley.processor.conversation;

import io.parley.processor.audit.AuditMode;
import io.parley.processor.audit.AuditTrail;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.AuditStep;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.state.Session;
import io.parley.schemas.state.Turn;
import io.parley.serde.AvroTrust;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Audit mode {@code turn}: folds the per-step audit records of a handling into the TURN record of
 * the turn they belong to. Steps wait in the session ({@code pendingAudit}) while the turn waits for a
 * backend or the classifier, and the TURN record is emitted when the turn ends: a reply (answer,
 * slot prompt, fallback, error) leaves nothing to wait for, the deadline passed, the session ended,
 * or the next message started another turn. At most {@link AuditTrail#maxTurnSteps()} steps wait:
 * a fuller record is emitted at once and the turn goes on in a new one; so is a record whose steps would make
 * the stored session larger than {@code limits.maxSessionBytes}. Records that are not steps of a turn
 * (duplicates, erasure, refusals, notifications, alerts, ...) pass unchanged.
 */
final class TurnAudits {

    /** The kinds that are steps of a turn; every other kind stays a record of its own. */
    static final Set<AuditKind> STEPS = EnumSet.of(AuditKind.INBOUND, AuditKind.INTENT, AuditKind.NO_MATCH,
            AuditKind.SLOT_PROMPT, AuditKind.BACKEND_REQUEST, AuditKind.BACKEND_RESPONSE, AuditKind.REPLY,
            AuditKind.INTERIM, AuditKind.TIMEOUT, AuditKind.LATE, AuditKind.ERROR);

    private final AuditTrail trail;
    private final int maxSessionBytes;

    TurnAudits(AuditTrail trail, int maxSessionBytes) {
        this.trail = trail;
        this.maxSessionBytes = maxSessionBytes;
        // copying a pending TURN record copies its nested AuditStep records (Avro 1.12 class trust)
        AvroTrust.ensureTrusted();
    }

    /**
     * Rewrites {@code out}'s audit records and its session's pending TURN record.
     *
     * @param stored the session before the handling (its pending TURN record), or null
     */
    Outcome fold(Session stored, Outcome out) {
        if (trail.mode() == AuditMode.DETAILED) {
            return out;
        }
        AuditEvent pending = waitingRecord(stored, out.current());
        List<AuditEvent> emitted = new ArrayList<>();
        for (AuditEvent record : out.audits()) {
            if (!STEPS.contains(record.getKind())) {
                emitted.add(record);
                continue;
            }
            if (pending != null && startsAnotherTurn(pending, record)) {
                emitted.add(pending);
                pending = null;
            }
            pending = pending == null ? open(record) : pending;
            add(pending, record);
            if (pending.getSteps().size() >= trail.maxTurnSteps()) {
                emitted.add(pending);
                pending = null;
            }
        }
        Session session = out.current();
        if (pending != null && !waiting(session)) {
            emitted.add(pending);
            pending = null;
        }
        if (session != null) {
            session.setPendingAudit(pending);
            if (pending != null && !SessionSize.fits(session, maxSessionBytes)) {
                // The engine kept the session within its bound without these steps: they go out now rather than
                // make the stored session larger, and the turn goes on in a new record.
                emitted.add(pending);
                session.setPendingAudit(null);
            }
        }
        out.replaceAudits(emitted);
        return out;
    }

    /**
     * The stored session's waiting TURN record as a copy this handling may change: the outcome's session is a
     * copy of the stored one, its waiting record included, unless the handling replaced the session (another
     * user, an ended or erased conversation); only then is the stored record copied.
     */
    private static AuditEvent waitingRecord(Session stored, Session current) {
        if (stored == null || stored.getPendingAudit() == null) {
            return null;
        }
        if (current != null && current.getPendingAudit() != null) {
            return current.getPendingAudit();
        }
        return AuditEvent.newBuilder(stored.getPendingAudit()).build();
    }

    /** Whether the session's turn still waits for something other than the user (a backend, the classifier). */
    private static boolean waiting(Session session) {
        if (session == null) {
            return false;
        }
        Turn turn = session.getTurn();
        return turn != null && (!turn.getPending().isEmpty() || turn.getClassifying());
    }

    /** A new message in the conversation while steps of another message's turn wait. */
    private static boolean startsAnotherTurn(AuditEvent pending, AuditEvent record) {
        return record.getKind() == AuditKind.INBOUND && pending.getEventId() != null
                && !pending.getEventId().equals(record.getEventId());
    }

    private static AuditEvent open(AuditEvent first) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String flowVersion = first.getAttributes().get(AuditTrail.FLOW_VERSION);
        if (flowVersion != null) {
            attributes.put(AuditTrail.FLOW_VERSION, flowVersion);
        }
        return AuditEvent.newBuilder()
                .setAuditId(first.getAuditId() + "/turn")
                .setConversationId(first.getConversationId())
                .setUserRef(first.getUserRef())
                .setKind(AuditKind.TURN)
                .setOccurredAt(first.getOccurredAt())
                .setChannel(first.getChannel())
                .setEventId(first.getEventId())
                .setAttributes(attributes)
                .setSteps(new ArrayList<>())
                .build();
    }

    /** Adds a step; the TURN record's own fields sum the turn up (its end, channel, intent, reply kind and latency). */
    private static void add(AuditEvent turn, AuditEvent record) {
        if (turn.getSteps() == null) {
            turn.setSteps(new ArrayList<>());
        }
        turn.getSteps().add(AuditSteps.step(record));
        turn.setOccurredAt(record.getOccurredAt());
        if (record.getChannel() != null) {
            turn.setChannel(record.getChannel());
        }
        if (turn.getEventId() == null) {
            turn.setEventId(record.getEventId());
        }
        if (record.getIntent() != null) {
            turn.setIntent(record.getIntent());
        }
        if (record.getKind() == AuditKind.REPLY || record.getKind() == AuditKind.SLOT_PROMPT
                || record.getKind() == AuditKind.NO_MATCH || record.getKind() == AuditKind.ERROR) {
            turn.setStatus(record.getStatus());
            turn.setLatencyMs(record.getLatencyMs());
        }
    }
}
