package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.load.ClosedLoopChat.Reply;
import io.parley.bench.load.Workload;
import io.parley.schemas.ReplyKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** S6's figures from the closed loop's replies: recovery of the stopped instance's conversations, waits, fallbacks. */
class FailoverFiguresTest {

    private static final long S = 1_000_000_000L;

    @Test
    void recoveryIsWhenTheLastConversationOfTheStoppedInstanceAnsweredAgain() {
        // Given conversation 0 on the stopped instance and 1 on the other, the event at 10 s
        List<Reply> replies = List.of(
                new Reply(0, 8 * S, 9 * S, ReplyKind.ANSWER),      // before the event: ignored
                new Reply(1, 10 * S, 11 * S, ReplyKind.ANSWER),
                new Reply(0, 10 * S, 17 * S, ReplyKind.FALLBACK),
                new Reply(0, 18 * S, 19 * S, ReplyKind.ANSWER));

        // When
        FailoverScenario.Figures6 figures = FailoverScenario.Figures6.of(replies, Set.of(0), 2, 10 * S);

        // Then
        assertThat(figures.recoverySeconds()).contains(7.0);
        assertThat(figures.longestWaitSeconds()).isEqualTo(7.0);
        assertThat(figures.othersLongestWaitSeconds()).contains(1.0);
        assertThat(figures.fallbacks()).isEqualTo(1);
        assertThat(figures.victimConversations()).isEqualTo(1);
    }

    @Test
    void fallbacksToTurnsInFlightAtTheEventAreCountedApartFromLaterOnes() {
        // Given the event at 10 s: one fallback to a turn sent before it (in flight), two to turns sent after it
        List<Reply> replies = List.of(
                new Reply(0, 9 * S, 19 * S, ReplyKind.FALLBACK),
                new Reply(1, 9 * S, 12 * S, ReplyKind.ANSWER),
                new Reply(1, 13 * S, 23 * S, ReplyKind.FALLBACK),
                new Reply(0, 20 * S, 30 * S, ReplyKind.FALLBACK),
                new Reply(0, 31 * S, 32 * S, ReplyKind.ANSWER));

        // When
        FailoverScenario.Figures6 figures = FailoverScenario.Figures6.of(replies, Set.of(0), 2, 10 * S);

        // Then the three fallbacks split into one in flight and two beyond it
        assertThat(figures.fallbacks()).isEqualTo(3);
        assertThat(figures.fallbacksInFlight()).isEqualTo(1);
        assertThat(figures.fallbacksAfter()).isEqualTo(2);
    }

    @Test
    void theOtherInstancesLongestWaitIsReportedWithWhenItEndedAndTheirOrdinaryWaitBeforeTheEvent() {
        // Given the event at 10 s; conversation 1 is on the other instance
        List<Reply> replies = List.of(
                new Reply(1, 1 * S, 4 * S, ReplyKind.ANSWER),                // before the baseline window (10 - 5 s): ignored
                new Reply(1, 5 * S, 5 * S + 300_000_000L, ReplyKind.ANSWER),  // in the window: 0.3 s
                new Reply(0, 6 * S, 8 * S, ReplyKind.ANSWER),                // the stopped instance's: not a baseline
                new Reply(1, 11 * S, 13 * S, ReplyKind.ANSWER),              // after the event: 2 s, ended 3 s after it
                new Reply(1, 14 * S, 15 * S, ReplyKind.ANSWER));

        // When
        FailoverScenario.Figures6 figures = FailoverScenario.Figures6.of(replies, Set.of(0), 2, 10 * S);

        // Then
        assertThat(figures.othersLongestWaitSeconds()).contains(2.0);
        assertThat(figures.othersLongestWaitAtSeconds()).contains(3.0);
        assertThat(figures.othersBaselineWaitSeconds()).contains(0.3);
    }

    @Test
    void aSecondSilenceOfTheStoppedInstancesConversationsAfterTheyAnsweredAgainIsARelapse() {
        // Given conversations 0 and 2 on the stopped instance, the event at 10 s, both answering again by 18 s
        List<Reply> replies = List.of(
                new Reply(0, 9 * S, 17 * S, ReplyKind.ANSWER),
                new Reply(2, 9 * S, 18 * S, ReplyKind.ANSWER),
                new Reply(0, 18 * S, 18 * S + 400_000_000L, ReplyKind.ANSWER),  // after the recovery: 0.4 s
                new Reply(2, 25 * S, 31 * S, ReplyKind.ANSWER),                // tasks moved back: 6 s
                new Reply(1, 25 * S, 35 * S, ReplyKind.ANSWER));               // the other instance's: not a relapse

        // When
        FailoverScenario.Figures6 figures = FailoverScenario.Figures6.of(replies, Set.of(0, 2), 3, 10 * S);

        // Then
        assertThat(figures.recoverySeconds()).contains(8.0);
        assertThat(figures.relapseWaitSeconds()).contains(6.0);
        assertThat(figures.relapseWaitAtSeconds()).contains(21.0);
    }

    @Test
    void aConversationThatNeverAnsweredAgainLeavesNoRecoveryFigure() {
        List<Reply> replies = List.of(new Reply(1, 10 * S, 11 * S, ReplyKind.ANSWER));

        FailoverScenario.Figures6 figures = FailoverScenario.Figures6.of(replies, Set.of(0), 2, 10 * S);

        assertThat(figures.recoverySeconds()).isEmpty();
        assertThat(figures.relapseWaitSeconds()).isEmpty();
        assertThat(figures.relapseWaitAtSeconds()).isEmpty();
    }

    @Test
    void aStoppedInstanceWithoutConversationsHasNoRecoveryFigure() {
        List<Reply> replies = List.of(new Reply(0, 10 * S, 11 * S, ReplyKind.ANSWER));

        FailoverScenario.Figures6 figures = FailoverScenario.Figures6.of(replies, Set.of(), 2, 10 * S);

        assertThat(figures.recoverySeconds()).isEmpty();
        assertThat(figures.victimConversations()).isZero();
    }

    @Test
    void withOneInstanceThereAreNoOtherConversations() {
        List<Reply> replies = List.of(new Reply(0, 10 * S, 12 * S, ReplyKind.ANSWER));

        FailoverScenario.Figures6 figures = FailoverScenario.Figures6.of(replies, Set.of(0), 1, 10 * S);

        assertThat(figures.othersLongestWaitSeconds()).isEqualTo(Optional.empty());
    }

    @Test
    void conversationsAreOwnedByThePartitionOfTheirKey() {
        Workload chat = new Workload("bench", "hi", "c-", 200);
        Set<Integer> allPartitions = Set.copyOf(IntStream.range(0, FailoverScenario.PARTITIONS).boxed().toList());

        Set<Integer> onAll = FailoverScenario.conversationsOn(allPartitions, chat);
        Set<Integer> onHalf = FailoverScenario.conversationsOn(Set.of(0, 1, 2, 3, 4, 5), chat);

        assertThat(onAll).hasSize(200);
        assertThat(onHalf).isNotEmpty().hasSizeLessThan(200);
        assertThat(FailoverScenario.conversationsOn(Set.of(6, 7, 8, 9, 10, 11), chat)).doesNotContainAnyElementsOf(onHalf);
    }
}
