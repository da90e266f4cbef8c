package io.parley.processor.conversation;

import io.parley.processor.audit.AuditTrail;
import io.parley.processor.audit.TextLimit;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.state.Session;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sends replies: the {@link ChatReply}, its REPLY audit record and its latency metric, always together. */
final class Replies {

    private final AuditTrail audit;
    private final ConversationMetrics metrics;
    private final int maxReplyChars;

    Replies(AuditTrail audit, ConversationMetrics metrics, int maxReplyChars) {
        this.audit = audit;
        this.metrics = metrics;
        this.maxReplyChars = maxReplyChars;
    }

    /**
     * Sends a reply to the session's user on the session's channel.
     *
     * @param subjectId the id the reply id derives from: the event answered, or the late request
     * @param inReplyTo the chat event answered
     * @param eventTime when that event occurred; the latency is measured from it
     * @param intent the intent served, if any (for the audit)
     */
    void send(Outcome out, Session session, String subjectId, String inReplyTo, long eventTime, ReplyKind kind,
              String text, String intent, long now) {
        send(out, session, subjectId, inReplyTo, eventTime, kind, text, intent, List.of(), now);
    }

    /** A reply offering {@code quickReplies}: suggested answers a channel can show as buttons. */
    void send(Outcome out, Session session, String subjectId, String inReplyTo, long eventTime, ReplyKind kind,
              String text, String intent, List<String> quickReplies, long now) {
        // A template over a long result can render more than a channel should show, or Kafka accept.
        String shown = TextLimit.cut(text, maxReplyChars);
        String replyId = Ids.reply(Ids.scoped(session.getConversationId(), subjectId), kind);
        out.reply(ChatReply.newBuilder()
                .setReplyId(replyId)
                .setConversationId(session.getConversationId())
                .setUserId(session.getUserId())
                .setChannel(session.getChannel())
                .setInReplyTo(inReplyTo)
                .setKind(kind)
                .setText(shown)
                .setQuickReplies(List.copyOf(quickReplies))
                .setData(intent == null ? Map.of() : Map.of("intent", intent))
                .setCreatedAt(Instant.ofEpochMilli(now))
                .build());
        long latency = Math.max(0, now - eventTime);
        // A still-working message is its own step in the audit trail; every other reply is a REPLY.
        AuditKind auditKind = kind == ReplyKind.INTERIM ? AuditKind.INTERIM : AuditKind.REPLY;
        out.audit(audit.entry(auditKind, Ids.audit(replyId, auditKind), session.getUserId(), now)
                .conversation(session.getConversationId())
                .channel(session.getChannel())
                .event(inReplyTo)
                .intent(intent)
                .status(kind.name())
                .latency(latency)
                .text(shown)
                .build());
        metrics.replySent(kind, latency);
    }
}
