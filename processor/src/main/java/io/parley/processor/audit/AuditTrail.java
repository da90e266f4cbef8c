package io.parley.processor.audit;

import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@link AuditEvent}s the only way they may be built: text always goes through the
 * {@link Redactor}, users always through {@link UserReferences}.
 */
public final class AuditTrail {

    /** The longest audit text unless configured ({@code limits.maxAuditTextChars}). */
    public static final int DEFAULT_MAX_TEXT_CHARS = 2_000;

    private final Redactor redactor;
    private final UserReferences users;
    private final int maxTextChars;
    /** The flow version every record names (attribute {@code flowVersion}); null for records of no flow. */
    private final String flowVersion;
    /** One TURN record per turn, or one record per step. */
    private final AuditMode mode;
    /** The most steps a TURN record holds. */
    private final int maxTurnSteps;

    /** The attribute naming the version of the flows a record's turn ran on. */
    public static final String FLOW_VERSION = "flowVersion";

    public AuditTrail(Redactor redactor, UserReferences users) {
        this(redactor, users, DEFAULT_MAX_TEXT_CHARS);
    }

    /**
     * @param maxTextChars the longest text and attribute value a record holds; longer ones are cut
     *     (after redaction, so a cut never leaves part of a card number unmasked)
     */
    public AuditTrail(Redactor redactor, UserReferences users, int maxTextChars) {
        this(redactor, users, maxTextChars, null, AuditMode.TURN, 32);
    }

    private AuditTrail(Redactor redactor, UserReferences users, int maxTextChars, String flowVersion, AuditMode mode,
                       int maxTurnSteps) {
        this.redactor = redactor;
        this.users = users;
        this.maxTextChars = maxTextChars;
        this.flowVersion = flowVersion;
        this.mode = mode;
        this.maxTurnSteps = maxTurnSteps;
    }

    /** The same trail writing a turn's steps as {@code newMode} says, at most {@code maxSteps} to a TURN record. */
    public AuditTrail withMode(AuditMode newMode, int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1");
        }
        return new AuditTrail(redactor, users, maxTextChars, flowVersion, newMode, maxSteps);
    }

    /** One TURN record per turn, or one record per step. */
    public AuditMode mode() {
        return mode;
    }

    /** The most steps a TURN record holds. */
    public int maxTurnSteps() {
        return maxTurnSteps;
    }

    /** The same trail with texts cut at {@code maxChars}. */
    public AuditTrail withMaxTextChars(int maxChars) {
        return new AuditTrail(redactor, users, maxChars, flowVersion, mode, maxTurnSteps);
    }

    /** The same trail, every record of it naming the flow version (attribute {@value #FLOW_VERSION}). */
    public AuditTrail withFlowVersion(String version) {
        return new AuditTrail(redactor, users, maxTextChars, version, mode, maxTurnSteps);
    }

    /**
     * Starts an audit record.
     *
     * @param auditId a deterministic id: the same input processed again gives the same id
     * @param userId the user in clear; the record holds its reference
     */
    public Entry entry(AuditKind kind, String auditId, String userId, long atMillis) {
        return new Entry(kind, auditId, users.of(userId), atMillis);
    }

    /** The reference of a user as the audit stream shows it (also used as key when there is no conversation). */
    public String userRef(String userId) {
        return users.of(userId);
    }

    /** An audit record being built. */
    public final class Entry {

        private final AuditEvent.Builder builder;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Entry(AuditKind kind, String auditId, String userRef, long atMillis) {
            this.builder = AuditEvent.newBuilder()
                    .setKind(kind)
                    .setAuditId(auditId)
                    .setUserRef(userRef)
                    .setOccurredAt(Instant.ofEpochMilli(atMillis));
            if (flowVersion != null) {
                attributes.put(FLOW_VERSION, TextLimit.cut(flowVersion, maxTextChars));
            }
        }

        public Entry conversation(String conversationId) {
            builder.setConversationId(conversationId);
            return this;
        }

        public Entry channel(String channel) {
            builder.setChannel(channel);
            return this;
        }

        public Entry event(String eventId) {
            builder.setEventId(eventId);
            return this;
        }

        public Entry request(String requestId) {
            builder.setRequestId(requestId);
            return this;
        }

        public Entry intent(String intent) {
            builder.setIntent(intent);
            return this;
        }

        public Entry call(String connector, String operation) {
            builder.setConnector(connector).setOperation(operation);
            return this;
        }

        public Entry status(String status) {
            builder.setStatus(status);
            return this;
        }

        public Entry latency(long millis) {
            builder.setLatencyMs(millis);
            return this;
        }

        /** The message text, masked. */
        public Entry text(String text) {
            builder.setText(TextLimit.cut(redactor.redact(text), maxTextChars));
            return this;
        }

        /** A detail that is never personal data (a name of an intent, slot or call, a count). */
        public Entry attribute(String name, String value) {
            attributes.put(name, TextLimit.cut(value, maxTextChars));
            return this;
        }

        /** A detail that comes from outside Parley (a backend's error description), masked like message text. */
        public Entry maskedAttribute(String name, String value) {
            attributes.put(name, TextLimit.cut(redactor.redact(value), maxTextChars));
            return this;
        }

        public AuditEvent build() {
            return builder.setAttributes(attributes).build();
        }
    }
}
