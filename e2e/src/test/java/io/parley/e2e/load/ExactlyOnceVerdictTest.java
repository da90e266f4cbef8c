package io.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The end-to-end check itself: it must see each way the promise can be broken, and say which events. */
class ExactlyOnceVerdictTest {

    /** conv-0003 is a SLOW_BACKEND conversation: m1 falls back, m2 (superseded by m3) follows up after m3. */
    private static final LoadPlan PLAN = LoadPlan.of(5);
    private static final PlannedConversation SLOW = PLAN.conversations().get(3);

    private final ReplyLedger ledger = new ReplyLedger();
    private final Set<String> sent = new HashSet<>();

    @Test
    void theRepliesEachFlowGivesInTheirOrderHold() {
        answerAllAsPlanned();

        ExactlyOnceVerdict verdict = verdict();

        assertThat(verdict.holds()).withFailMessage(verdict::report).isTrue();
        assertThat(verdict.report()).isEqualTo("exactly one final reply for each of 25 events in 5 conversations");
    }

    @Test
    void aStillWorkingMessageBeforeTheFinalReplyIsAllowed() {
        PlannedEvent carrier = SLOW.events().get(0);
        sendAndReply(SLOW, carrier, ReplyKind.INTERIM, "Still asking…", "/interim");
        answerAllAsPlanned();

        assertThat(verdict().holds()).isTrue();
    }

    @Test
    void anEventWithoutFinalReplyIsMissingAndNamed() {
        answerAllAsPlannedExcept(SLOW.events().get(4));

        ExactlyOnceVerdict verdict = verdict();

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.report()).contains("missing (no final reply): 1")
                .contains("conv-0003-m5 \"redeem 20 points\" expected ANSWER \"Done: 20 points redeemed.\" — received nothing");
    }

    @Test
    void anEventNeverSentIsReportedAsAStalledConversation() {
        answerAllAsPlannedExcept(SLOW.events().get(4));
        sent.remove(SLOW.events().get(4).eventId());

        assertThat(verdict().report()).contains("conv-0003-m5").contains("never sent: the conversation stalled before it");
    }

    @Test
    void aReplyDeliveredTwiceIsDuplicated() {
        answerAllAsPlanned();
        PlannedEvent first = SLOW.events().get(0);
        ledger.record(reply(SLOW, first.eventId(), first.expected().kind(), first.expected().text(), first.eventId() + "/fallback"));

        assertThat(verdict().report())
                .contains("reply conv-0003-m1/fallback delivered 2 times")
                .contains("conv-0003-m1 \"when will order 9003 arrive?\" expected FALLBACK")
                .contains("received 2 final replies");
    }

    @Test
    void aFinalReplyOfAnotherKindIsWrong() {
        PlannedEvent carrier = SLOW.events().get(0);
        sendAndReply(SLOW, carrier, ReplyKind.ANSWER, "Sorry, I couldn't get that information right now.", "/answer");
        answerAllAsPlannedExcept(carrier);

        ExactlyOnceVerdict verdict = verdict();
        assertThat(verdict.report()).contains("wrong kind or text: 1")
                .contains("conv-0003-m1").contains("received [ANSWER \"Sorry, I couldn't get that information right now.\"");
        assertThat(verdict.offendingEvents()).containsExactly(carrier.eventId());
    }

    @Test
    void aFollowUpBeforeTheReplyToTheMessageThatSupersededItIsOutOfOrder() {
        List<PlannedEvent> events = SLOW.events();
        answer(SLOW, events.get(0));
        answer(SLOW, events.get(1));
        answer(SLOW, events.get(2));
        answer(SLOW, events.get(3));
        answer(SLOW, events.get(4));
        PLAN.conversations().stream().filter(c -> c != SLOW).forEach(c -> c.events().forEach(e -> answer(c, e)));

        assertThat(verdict().report()).contains("out of order: 1")
                .contains("conv-0003: final replies expected for [conv-0003-m1, conv-0003-m3, conv-0003-m2, conv-0003-m4, conv-0003-m5],"
                        + " arrived for [conv-0003-m1, conv-0003-m2, conv-0003-m3, conv-0003-m4, conv-0003-m5]");
    }

    @Test
    void aReplyToAnEventNobodySentIsUnexpected() {
        answerAllAsPlanned();
        ledger.record(reply(SLOW, "conv-0003-m9", ReplyKind.ANSWER, "?", "conv-0003-m9/answer"));

        assertThat(verdict().report()).contains("unexpected (a reply to no planned event): 1").contains("in reply to conv-0003-m9");
    }

    private void answerAllAsPlanned() {
        answerAllAsPlannedExcept(null);
    }

    private void answerAllAsPlannedExcept(PlannedEvent skipped) {
        for (PlannedConversation conversation : PLAN.conversations()) {
            for (String eventId : conversation.replyOrder()) {
                PlannedEvent event = conversation.event(eventId).orElseThrow();
                sent.add(eventId);
                if (event != skipped) {
                    answer(conversation, event);
                }
            }
        }
    }

    private void answer(PlannedConversation conversation, PlannedEvent event) {
        sendAndReply(conversation, event, event.expected().kind(), event.expected().text(),
                "/" + event.expected().kind().name().toLowerCase(java.util.Locale.ROOT));
    }

    private void sendAndReply(PlannedConversation conversation, PlannedEvent event, ReplyKind kind, String text, String idSuffix) {
        sent.add(event.eventId());
        ledger.record(reply(conversation, event.eventId(), kind, text, event.eventId() + idSuffix));
    }

    private ExactlyOnceVerdict verdict() {
        return ExactlyOnceVerdict.of(PLAN, ledger, sent);
    }

    private static ChatReply reply(PlannedConversation conversation, String inReplyTo, ReplyKind kind, String text, String replyId) {
        return ChatReply.newBuilder()
                .setReplyId(replyId)
                .setConversationId(conversation.id())
                .setUserId(conversation.userId())
                .setChannel(ChatChannel.CHANNEL)
                .setInReplyTo(inReplyTo)
                .setKind(kind)
                .setText(text)
                .setQuickReplies(List.of())
                .setData(Map.of())
                .setCreatedAt(Instant.parse("2026-11-24T10:00:00Z"))
                .build();
    }
}
