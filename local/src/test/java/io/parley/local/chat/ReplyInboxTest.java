package io.parley.local.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.local.chat.ReplyInbox.Expectation;
import io.parley.local.chat.ReplyInbox.Outcome;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyInboxTest {

    private static final Instant SENT = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofMillis(300);

    private final TickingClock clock = new TickingClock(SENT, Duration.ofMillis(100));
    private final ReplyInbox inbox = new ReplyInbox(clock);

    @Test
    void aFinalReplyToTheEventSettlesIt() throws Exception {
        int mark = inbox.mark();
        inbox.add(reply("e-1", ReplyKind.INTERIM));
        inbox.add(reply("e-1", ReplyKind.ANSWER));

        assertThat(inbox.await(Expectation.finalReplyTo("e-1"), mark, SENT, TIMEOUT, QUIET)).isEqualTo(Outcome.SETTLED);
    }

    @Test
    void anInterimReplyAloneDoesNotSettleAMessage() throws Exception {
        int mark = inbox.mark();
        inbox.add(reply("e-1", ReplyKind.INTERIM));

        assertThat(inbox.await(Expectation.finalReplyTo("e-1"), mark, SENT, TIMEOUT, QUIET)).isEqualTo(Outcome.TIMED_OUT);
        assertThat(clock.instant()).isAfterOrEqualTo(SENT.plus(TIMEOUT));
    }

    @Test
    void repliesBeforeTheMarkOrToOtherEventsDoNotSettleIt() throws Exception {
        inbox.add(reply("e-1", ReplyKind.ANSWER));
        int mark = inbox.mark();
        inbox.add(reply("e-0", ReplyKind.ANSWER));

        assertThat(inbox.await(Expectation.finalReplyTo("e-1"), mark, SENT, TIMEOUT, QUIET)).isEqualTo(Outcome.TIMED_OUT);
    }

    @Test
    void anEventThatMayGetNoReplySettlesAfterTheQuietPeriod() throws Exception {
        int mark = inbox.mark();

        Outcome outcome = inbox.await(Expectation.finalReplyOrQuiet("e-1"), mark, SENT, TIMEOUT, QUIET);

        assertThat(outcome).isEqualTo(Outcome.QUIET);
        assertThat(clock.instant()).isBefore(SENT.plus(TIMEOUT));
    }

    @Test
    void aDeliveredNotificationSettlesANotifyCommand() throws Exception {
        int mark = inbox.mark();
        inbox.add(reply(null, ReplyKind.NOTIFICATION));

        assertThat(inbox.await(Expectation.notificationOrQuiet(), mark, SENT, TIMEOUT, QUIET)).isEqualTo(Outcome.SETTLED);
    }

    private static ChatReply reply(String inReplyTo, ReplyKind kind) {
        return ChatReply.newBuilder().setReplyId("r").setConversationId("c").setUserId("alice").setChannel("console")
                .setInReplyTo(inReplyTo).setKind(kind).setText("text").setQuickReplies(List.of()).setData(Map.of())
                .setCreatedAt(SENT).build();
    }

    /** A clock that moves on by a step each time it is read, so waits end without depending on real time. */
    private static final class TickingClock extends Clock {

        private Instant now;
        private final Duration step;

        TickingClock(Instant start, Duration step) {
            this.now = start;
            this.step = step;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plus(step);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
