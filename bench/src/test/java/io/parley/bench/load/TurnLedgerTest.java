package io.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnLedgerTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final LatencyHistogram latency = new LatencyHistogram(Duration.ofMinutes(1));
    private final List<Integer> freed = new ArrayList<>();

    private TurnLedger ledger(int messages, int warmUp) {
        return new TurnLedger(messages, warmUp, latency, freed::add);
    }

    @Test
    void latencyRunsFromTheTurnsIntendedStartToItsReply() {
        // Given a turn meant to start at 1 s
        TurnLedger ledger = ledger(1, 0);
        ledger.sent(0, SECOND);

        // When its reply is consumed at 1.050 s
        ledger.replied(0, "ANSWER", true, SECOND + 50 * MS);

        // Then its latency is 50 ms
        assertThat(latency.summary().orElseThrow().max()).isCloseTo(50, within(0.1));
    }

    @Test
    void aStillWorkingMessageIsCountedButTheTurnWaitsForItsAnswer() {
        // Given a turn sent at 0 ms
        TurnLedger ledger = ledger(1, 0);
        ledger.sent(0, 0);

        // When a still-working message comes at 2 s and the answer at 2.5 s
        ledger.progressed(0, "INTERIM");
        ledger.replied(0, "ANSWER", true, 2_500 * MS);
        ledger.finish(3 * SECOND);

        // Then the turn is answered, with the latency of its answer, and the interim is counted
        assertThat(ledger.answered()).isEqualTo(1);
        assertThat(latency.summary().orElseThrow().max()).isCloseTo(2_500, within(1.0));
        assertThat(ledger.otherReplies()).isEqualTo(Map.of("INTERIM", 1L));
        assertThat(freed).containsExactly(0);
    }

    @Test
    void warmUpTurnsAreLeftOutOfLatencyAndThroughput() {
        // Given 10 turns with 5 of warm-up, sent at 0 ms
        TurnLedger ledger = ledger(10, 5);
        for (int seq = 0; seq < 10; seq++) {
            ledger.sent(seq, 0);
        }

        // When the warm-up turns are answered slowly (at 1 s) and the rest one per 100 ms after
        for (int seq = 0; seq < 5; seq++) {
            ledger.replied(seq, "ANSWER", true, SECOND);
        }
        for (int seq = 5; seq < 10; seq++) {
            ledger.replied(seq, "ANSWER", true, SECOND + (seq - 4) * 100 * MS);
        }
        ledger.finish(2 * SECOND);

        // Then only the 5 later turns are in the latency figures
        assertThat(latency.count()).isEqualTo(5);
        assertThat(latency.summary().orElseThrow().p50()).isCloseTo(1_300, within(1.0));
        // And throughput is 5 answers over the 500 ms from the fifth completion to the last
        assertThat(ledger.throughputPerSecond().getAsDouble()).isCloseTo(10.0, within(0.001));
        assertThat(ledger.answered()).isEqualTo(10);
        assertThat(ledger.unanswered()).isZero();
    }

    @Test
    void otherRepliesCompleteATurnButAreNotCountedAsAnswers() {
        // Given two turns
        TurnLedger ledger = ledger(2, 0);
        ledger.sent(0, 0);
        ledger.sent(1, 0);

        // When one gets its answer and the other a fallback
        ledger.replied(0, "ANSWER", true, 100 * MS);
        ledger.replied(1, "FALLBACK", false, 200 * MS);
        ledger.finish(SECOND);

        // Then the fallback is counted by kind, not as an answer, and both turns are done
        assertThat(ledger.answered()).isEqualTo(1);
        assertThat(ledger.otherReplies()).isEqualTo(Map.of("FALLBACK", 1L));
        assertThat(ledger.unanswered()).isZero();
        assertThat(freed).containsExactly(0, 1);
    }

    @Test
    void aSecondReplyToATurnIsADuplicateAndFreesNothing() {
        // Given an answered turn
        TurnLedger ledger = ledger(1, 0);
        ledger.sent(0, 0);
        ledger.replied(0, "ANSWER", true, 10 * MS);

        // When its reply arrives again (at-least-once redelivery)
        TurnLedger.Outcome outcome = ledger.replied(0, "ANSWER", true, 20 * MS);

        // Then it is counted as a duplicate and nothing else changes
        assertThat(outcome).isEqualTo(TurnLedger.Outcome.DUPLICATE);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.answered()).isEqualTo(1);
        assertThat(latency.count()).isEqualTo(1);
        assertThat(freed).containsExactly(0);
    }

    @Test
    void aReplyToNoTurnOfThePhaseIsAStray() {
        TurnLedger ledger = ledger(2, 0);
        ledger.sent(0, 0);

        assertThat(ledger.replied(TurnIds.FOREIGN, "ANSWER", true, MS)).isEqualTo(TurnLedger.Outcome.STRAY);
        assertThat(ledger.replied(1, "ANSWER", true, MS)).isEqualTo(TurnLedger.Outcome.STRAY);
        assertThat(ledger.strays()).isEqualTo(2);
        assertThat(ledger.answered()).isZero();
    }

    @Test
    void aTurnStillUnansweredAtTheEndCountsWithItsWaitSoFar() {
        // Given two turns sent at 0, one answered after 10 ms
        TurnLedger ledger = ledger(2, 0);
        ledger.sent(0, 0);
        ledger.sent(1, 0);
        ledger.replied(0, "ANSWER", true, 10 * MS);

        // When the phase gives up at 5 s
        ledger.finish(5 * SECOND);

        // Then the missing turn is unanswered and its 5 s wait shows as the maximum latency
        assertThat(ledger.unanswered()).isEqualTo(1);
        assertThat(latency.summary().orElseThrow().max()).isCloseTo(5_000, within(5.0));
    }

    @Test
    void aFailedSendCompletesTheTurnAndIsCountedByItsOwnKind() {
        TurnLedger ledger = ledger(1, 0);
        ledger.sent(0, 0);

        ledger.sendFailed(0, MS);
        ledger.finish(SECOND);

        assertThat(ledger.otherReplies()).isEqualTo(Map.of(TurnLedger.SEND_FAILED, 1L));
        assertThat(ledger.unanswered()).isZero();
        assertThat(freed).containsExactly(0);
    }

    @Test
    void waitingForAllTurnsGivesUpWhenNoneCompletes() throws InterruptedException {
        TurnLedger ledger = ledger(1, 0);
        ledger.sent(0, 0);

        assertThat(ledger.awaitAll(Duration.ofMillis(1))).isFalse();
    }

    @Test
    void waitingForAllTurnsEndsOnceEveryTurnCompleted() throws InterruptedException {
        TurnLedger ledger = ledger(1, 0);
        ledger.sent(0, 0);
        ledger.replied(0, "ANSWER", true, MS);

        assertThat(ledger.awaitAll(Duration.ofSeconds(10))).isTrue();
    }
}
