package io.parley.gateway.channels;

import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit record of a reply a channel could not deliver: kind {@code UNDELIVERABLE}, in the
 * processor's {@link AuditEvent} shape, the user by the same reference the processor gives
 * ({@link UserReferences}: the id, or its keyed hash under the same {@code audit.pseudonymKey}). The
 * reply's text is not repeated (the processor audited it as {@code REPLY}); the reason comes from a
 * platform's answer and is masked like message text. Deterministic: the same reply failing again
 * (a gateway crashed before committing) gives the same {@code auditId}.
 */
public final class DeliveryAudit {

    /** {@code status} of a reply that was tried {@code maxAttempts} times. */
    public static final String FAILED = "delivery_failed";
    /** {@code status} of a reply that was not tried at all (outside WhatsApp's window without a template, ...). */
    public static final String NOT_ATTEMPTED = "not_attempted";
    private static final int MAX_REASON_CHARS = 500;

    private final UserReferences users;
    private final Redactor redactor;

    public DeliveryAudit(UserReferences users, Redactor redactor) {
        this.users = users;
        this.redactor = redactor;
    }

    /**
     * @param attempts how many times delivery was tried; 0 when it was not tried
     * @param reason why it failed, as the dead letter's {@code parley.dlq.reason} says
     */
    public AuditEvent undeliverable(String channel, ChatReply reply, int attempts, String reason, Instant at) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("replyId", reply.getReplyId());
        attributes.put("replyKind", reply.getKind().name());
        attributes.put("attempts", Integer.toString(attempts));
        String masked = redactor.redact(reason);
        attributes.put("reason", cut(masked));
        return AuditEvent.newBuilder()
                .setAuditId("undeliverable:" + reply.getReplyId())
                .setConversationId(reply.getConversationId())
                .setUserRef(users.of(reply.getUserId()))
                .setKind(AuditKind.UNDELIVERABLE)
                .setOccurredAt(at)
                .setChannel(channel)
                .setEventId(reply.getInReplyTo())
                .setStatus(attempts == 0 ? NOT_ATTEMPTED : FAILED)
                .setAttributes(attributes)
                .build();
    }

    private static String cut(String text) {
        if (text.length() <= MAX_REASON_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_REASON_CHARS - 1)) ? MAX_REASON_CHARS - 1 : MAX_REASON_CHARS;
        return text.substring(0, end) + "…";
    }
}
