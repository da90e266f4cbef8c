package io.parley.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.analytics.StatsDelta;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConversationStepTest {

    private static final Instant AT = Instant.parse("2026-12-04T03:37:11Z");
    private final ConversationStep step = new ConversationStep(Set.of("talk-to-agent"));

    @Test
    void aConversationCountsOncePerBucket() {
        // Given a conversation not seen in the hour yet
        ConversationStep.Result first = step.apply("shop", Period.HOUR, event(AuditKind.INBOUND).setText("hi").build(), 0, Optional.empty());

        // When its next record comes
        ConversationStep.Result second = step.apply("shop", Period.HOUR, event(AuditKind.INBOUND).build(), first.marks(), Optional.empty());

        // Then it is new once, a turn each time
        assertThat(first.delta()).get().satisfies(delta -> {
            assertThat(delta.getNewConversation()).isTrue();
            assertThat(delta.getTurn()).isTrue();
            assertThat(delta.getBucketStart()).isEqualTo(Instant.parse("2026-12-04T03:00:00Z"));
            assertThat(delta.getPeriod()).isEqualTo("hour");
        });
        assertThat(second.delta()).get().extracting(StatsDelta::getNewConversation, StatsDelta::getTurn).containsExactly(false, true);
    }

    @Test
    void dayBucketsStartAtMidnightUtc() {
        ConversationStep.Result result = step.apply("shop", Period.DAY, event(AuditKind.INBOUND).build(), 0, Optional.empty());

        assertThat(result.delta()).get().extracting(StatsDelta::getBucketStart).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
    }

    @Test
    void aFallbackReplyMakesTheConversationUncontainedOnce() {
        AuditEvent fallback = event(AuditKind.REPLY).setStatus("FALLBACK").build();

        ConversationStep.Result first = step.apply("shop", Period.HOUR, fallback, ConversationStep.SEEN, Optional.empty());
        ConversationStep.Result second = step.apply("shop", Period.HOUR, fallback, first.marks(), Optional.empty());

        assertThat(first.delta()).get().extracting(StatsDelta::getFallback, StatsDelta::getNewlyUncontained).containsExactly(true, true);
        assertThat(second.delta()).get().extracting(StatsDelta::getFallback, StatsDelta::getNewlyUncontained).containsExactly(true, false);
    }

    @Test
    void aHandOverIntentIsNotContained() {
        ConversationStep.Result handover = step.apply("shop", Period.HOUR, event(AuditKind.INTENT).setIntent("talk-to-agent").build(),
                ConversationStep.SEEN, Optional.empty());
        ConversationStep.Result order = step.apply("shop", Period.HOUR, event(AuditKind.INTENT).setIntent("order-status").build(),
                ConversationStep.SEEN, Optional.empty());

        assertThat(handover.delta()).get().extracting(StatsDelta::getIntent, StatsDelta::getNewlyUncontained)
                .containsExactly("talk-to-agent", true);
        assertThat(order.delta()).get().extracting(StatsDelta::getIntent, StatsDelta::getNewlyUncontained)
                .containsExactly("order-status", false);
    }

    @Test
    void aNoMatchCountsItsUtteranceTrimmedAndInLowerCase() {
        ConversationStep.Result result = step.apply("shop", Period.HOUR, event(AuditKind.NO_MATCH).build(), ConversationStep.SEEN,
                Optional.of("  What is   the MEANING\tof life "));

        assertThat(result.delta()).get().extracting(StatsDelta::getNoMatchText).isEqualTo("what is the meaning of life");
    }

    @Test
    void aNoMatchWithoutItsMessageChangesNothing() {
        ConversationStep.Result result = step.apply("shop", Period.HOUR, event(AuditKind.NO_MATCH).build(), ConversationStep.SEEN, Optional.empty());

        assertThat(result.delta()).isEmpty();
        assertThat(result.marks()).isEqualTo(ConversationStep.SEEN);
    }

    @Test
    void backendAnswersLateOnesIncludedGiveLatencyAndFailure() {
        ConversationStep.Result ok = step.apply("shop", Period.HOUR,
                event(AuditKind.BACKEND_RESPONSE).setConnector("shop-api").setStatus("OK").setLatencyMs(86L).build(), ConversationStep.SEEN,
                Optional.empty());
        ConversationStep.Result late = step.apply("shop", Period.HOUR,
                event(AuditKind.LATE).setConnector("shop-api").setStatus("NOT_FOUND").setLatencyMs(15L).build(), ConversationStep.SEEN,
                Optional.empty());

        assertThat(ok.delta()).get().extracting(StatsDelta::getConnector, StatsDelta::getLatencyMs, StatsDelta::getFailed)
                .containsExactly("shop-api", 86L, false);
        assertThat(late.delta()).get().extracting(StatsDelta::getLatencyMs, StatsDelta::getFailed).containsExactly(15L, true);
    }

    @Test
    void recordsOutsideConversationsAndBookkeepingCountNothing() {
        AuditEvent notification = event(AuditKind.NOTIFICATION).setConversationId(null).build();
        AuditEvent duplicate = event(AuditKind.DUPLICATE).build();

        assertThat(step.apply("shop", Period.HOUR, notification, 0, Optional.empty()).delta()).isEmpty();
        assertThat(step.apply("shop", Period.HOUR, duplicate, 0, Optional.empty())).satisfies(result -> {
            assertThat(result.delta()).isEmpty();
            assertThat(result.marks()).isZero();
        });
    }

    @Test
    void longUtterancesAreCut() {
        assertThat(ConversationStep.normalise("x".repeat(500))).hasSize(ConversationStep.MAX_UTTERANCE_CHARS);
    }

    static AuditEvent.Builder event(AuditKind kind) {
        return AuditEvent.newBuilder().setAuditId("a-" + kind).setConversationId("c-1").setUserRef("u-1").setKind(kind)
                .setOccurredAt(AT).setChannel("web").setEventId("e-1");
    }
}
