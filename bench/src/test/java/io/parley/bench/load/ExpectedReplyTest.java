package io.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectedReplyTest {

    private static ChatReply reply(ReplyKind kind, String text) {
        return ChatReply.newBuilder().setReplyId("r-1").setConversationId("c-1").setUserId("u-1").setChannel("bench")
                .setInReplyTo("e-1").setKind(kind).setText(text).setQuickReplies(List.of()).setData(Map.of())
                .setCreatedAt(Instant.parse("2026-11-24T05:00:00Z")).build();
    }

    private final ExpectedReply order = ExpectedReply.answerStartingWith(Workload.ORDER_ANSWER_PREFIX);

    @Test
    void theOrdersAnswerAnswersTheTurn() {
        ChatReply answer = reply(ReplyKind.ANSWER, "Order 1001 is SHIPPED: 42.50 EUR, placed on 2026-11-20.");

        assertThat(order.matches(answer)).isTrue();
    }

    @Test
    void anErrorTemplateIsAnAnswerWithoutTheResultAndIsCountedApart() {
        ChatReply error = reply(ReplyKind.ANSWER, "Sorry, I can't look up orders right now. Please try again in a moment.");

        assertThat(order.matches(error)).isFalse();
        assertThat(order.label(error)).isEqualTo(ExpectedReply.OTHER_ANSWER);
    }

    @Test
    void aFallbackIsCountedByItsKind() {
        ChatReply fallback = reply(ReplyKind.FALLBACK, "Sorry, this is taking too long.");

        assertThat(order.matches(fallback)).isFalse();
        assertThat(order.label(fallback)).isEqualTo("FALLBACK");
    }

    @Test
    void aStillWorkingMessageOnlyEndsATurnThatWaitsForIt() {
        assertThat(order.isProgressOnly(ReplyKind.INTERIM)).isTrue();
        assertThat(ExpectedReply.ofKinds(ReplyKind.INTERIM, ReplyKind.FALLBACK).isProgressOnly(ReplyKind.INTERIM)).isFalse();
        assertThat(ExpectedReply.anyReply().matches(reply(ReplyKind.INTERIM, "Still working on it"))).isTrue();
    }
}
