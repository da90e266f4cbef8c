package io.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bench.load.ClosedLoopChat.Reply;
import io.parley.schemas.ReplyKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When S6's closed loop counts as settled before its event. */
class SteadyStateTest {

    private static final long MS = 1_000_000L;
    private static final SteadyState STEADY = new SteadyState(Duration.ofSeconds(5), Duration.ofSeconds(1), 2);

    @Test
    void aLoopWhoseRecentRepliesAllCameQuicklyHasSettled() {
        // Given a slow reply long before the window and two quick ones in it
        List<Reply> replies = List.of(
                new Reply(0, 0, 3_000 * MS, ReplyKind.ANSWER),
                new Reply(0, 7_000 * MS, 7_300 * MS, ReplyKind.ANSWER),
                new Reply(1, 8_000 * MS, 8_900 * MS, ReplyKind.ANSWER));

        // Then at 10 s (window 5–10 s) the loop has settled
        assertThat(STEADY.reachedAt(replies, 10_000 * MS)).isTrue();
    }

    @Test
    void oneSlowReplyInTheWindowMeansNotYet() {
        List<Reply> replies = List.of(
                new Reply(0, 7_000 * MS, 7_300 * MS, ReplyKind.ANSWER),
                new Reply(1, 6_000 * MS, 8_500 * MS, ReplyKind.ANSWER),
                new Reply(0, 8_000 * MS, 8_200 * MS, ReplyKind.ANSWER));

        assertThat(STEADY.reachedAt(replies, 10_000 * MS)).isFalse();
        // and five seconds later, with quick replies since, it has
        List<Reply> later = new ArrayList<>(replies);
        later.add(new Reply(0, 11_000 * MS, 11_200 * MS, ReplyKind.ANSWER));
        later.add(new Reply(1, 12_000 * MS, 12_300 * MS, ReplyKind.ANSWER));
        assertThat(STEADY.reachedAt(later, 14_000 * MS)).isTrue();
    }

    @Test
    void tooFewRepliesInTheWindowIsNotSettledEither() {
        List<Reply> replies = List.of(new Reply(0, 9_000 * MS, 9_100 * MS, ReplyKind.ANSWER));

        assertThat(STEADY.reachedAt(replies, 10_000 * MS)).isFalse();
        assertThat(STEADY.reachedAt(List.of(), 10_000 * MS)).isFalse();
    }

    @Test
    void aSteadyStateNeedsAWindowAndAReply() {
        assertThatThrownBy(() -> new SteadyState(Duration.ZERO, Duration.ofSeconds(1), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SteadyState(Duration.ofSeconds(5), Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
