package io.parley.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.runtime.Secret;
import io.parley.runtime.audit.Redactor;
import io.parley.runtime.audit.UserReferences;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryAuditTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
    private static final ChatReply REPLY = ChatReply.newBuilder().setReplyId("r-1").setConversationId("tg:42")
            .setUserId("alice").setChannel("tg").setInReplyTo("e-1").setKind(ReplyKind.ANSWER)
            .setText("call me at +44 20 7946 0958").setQuickReplies(List.of()).setData(Map.of()).setCreatedAt(AT).build();

    @Test
    void failedDeliveryIsAnUndeliverableRecordWithoutTextAndWithTheReasonMasked() {
        // Given users pseudonymised under a key
        DeliveryAudit audit = new DeliveryAudit(UserReferences.pseudonymised(Secret.of("key-of-sixteen-chars")),
                new Redactor());
        // When a reply failed after 6 attempts with a platform answer quoting an email address
        AuditEvent event = audit.undeliverable("tg", REPLY, 6, "delivery failed after 6 attempts: HTTP 400 bad chat for"
                + " alice@example.com", AT);
        // Then it is the processor's record shape, the user by pseudonym, the reason masked, no text
        assertThat(event.getKind()).isEqualTo(AuditKind.UNDELIVERABLE);
        assertThat(event.getAuditId()).isEqualTo("undeliverable:r-1");
        assertThat(event.getUserRef()).isEqualTo(UserReferences.pseudonymised(Secret.of("key-of-sixteen-chars")).of("alice"));
        assertThat(event.getConversationId()).isEqualTo("tg:42");
        assertThat(event.getEventId()).isEqualTo("e-1");
        assertThat(event.getStatus()).isEqualTo(DeliveryAudit.FAILED);
        assertThat(event.getText()).isNull();
        assertThat(event.getAttributes().get("reason")).startsWith("delivery failed after 6 attempts: HTTP 400")
                .doesNotContain("alice@example.com");
        assertThat(event.toString()).doesNotContain("7946");
    }

    @Test
    void notAttemptedIsSaidSoAndTheSameReplyGivesTheSameAuditId() {
        DeliveryAudit audit = new DeliveryAudit(UserReferences.plain(), new Redactor());
        AuditEvent first = audit.undeliverable("tg", REPLY, 0, "not delivered: outside the window", AT);
        AuditEvent again = audit.undeliverable("tg", REPLY, 0, "not delivered: outside the window", AT.plusSeconds(60));
        assertThat(first.getStatus()).isEqualTo(DeliveryAudit.NOT_ATTEMPTED);
        assertThat(first.getUserRef()).isEqualTo("alice");
        assertThat(again.getAuditId()).isEqualTo(first.getAuditId());
    }

    @Test
    void aLongReasonIsCutWithoutSplittingACharacter() {
        DeliveryAudit audit = new DeliveryAudit(UserReferences.plain(), new Redactor());
        String reason = "x".repeat(499) + "😀".repeat(10);
        String cut = audit.undeliverable("tg", REPLY, 1, reason, AT).getAttributes().get("reason");
        assertThat(cut).hasSizeLessThanOrEqualTo(501).endsWith("…");
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }
}
