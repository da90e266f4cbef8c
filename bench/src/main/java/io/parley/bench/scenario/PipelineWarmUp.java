package io.parley.bench.scenario;

import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a pipeline serves before its measured phases, at maximum rate. A fresh JVM on two cores
 * keeps compiling the broker's, Kafka Streams' and Parley's hot code for a minute or more, and the
 * in-phase warm-up (a tenth of the turns) does not cover that: without this, the first pipeline
 * scenario of a run would pay for the compiler and the later ones would not. Reported as phases
 * of their own, outside the figures.
 *
 * <p>Two ways: a fixed number of turns ({@link #run}), or rounds until the pipeline is in its steady
 * state ({@link #untilSettled}): until the JIT compiler of the bench JVM, where the pipeline runs, spent
 * at most {@link #SETTLED_JIT_SHARE} of a core compiling during a round. A fixed count left the compiler at
 * a fifth of the machine's CPU in the measured phase of whichever guarantee ran first (profile of
 * 2026-12-04), so the first guarantee measured the compiler as much as the pipeline.
 */
final class PipelineWarmUp {

    /** A round in which the compiler used at most this share of one core counts as settled. */
    static final double SETTLED_JIT_SHARE = 0.05;
    /** At least this many rounds: the fixed warm-up's turns, before the compiler's share is asked. */
    static final int MIN_ROUNDS = 2;
    /** At most this many rounds, settled or not: a run ends in bounded time, and says it did not settle. */
    static final int MAX_ROUNDS = 15;

    /** One warm-up round: the named phase at maximum rate. */
    @FunctionalInterface
    interface Round {
        PhaseResult run(String phase) throws InterruptedException;
    }

    /**
     * What a settle-based warm-up did.
     *
     * @param rounds   each round's phase, in order
     * @param jitShare the compiler's share of one core in the last round (0 where not measurable)
     * @param settled  whether the last round was at or under {@link #SETTLED_JIT_SHARE}
     */
    record Outcome(List<PhaseResult> rounds, double jitShare, boolean settled) {

        Outcome {
            rounds = List.copyOf(rounds);
        }

        boolean complete() {
            return rounds.stream().allMatch(PhaseResult::complete);
        }
    }

    private PipelineWarmUp() {
    }

    /** A fifth of the measured maximum-rate phase. */
    static int turns(int measuredTurns) {
        return Math.max(10, measuredTurns / 5);
    }

    /** Turns of one round of {@link #untilSettled}: a tenth of the measured phase, so the first two rounds are {@link #turns}. */
    static int roundTurns(int measuredTurns) {
        return Math.max(10, measuredTurns / 10);
    }

    static PhaseResult run(LoadDriver load, String scenarioId, Workload workload, int turns, ExpectedReply expected)
            throws InterruptedException {
        return load.maxRate(scenarioId + ".warmUp", workload, turns, 0, expected);
    }

    /** Rounds of {@code turns} at maximum rate until the compiler settled, named {@code <scenario>.warmUp<n>}. */
    static Outcome untilSettled(LoadDriver load, String scenarioId, Workload workload, int turns, ExpectedReply expected)
            throws InterruptedException {
        return untilSettled(JitActivity.ofThisJvm(), phase -> load.maxRate(phase, workload, turns, 0, expected), scenarioId);
    }

    static Outcome untilSettled(JitActivity jit, Round round, String scenarioId) throws InterruptedException {
        List<PhaseResult> rounds = new ArrayList<>();
        double share = 0;
        for (int n = 1; n <= MAX_ROUNDS; n++) {
            JitActivity.Mark mark = jit.mark();
            PhaseResult phase = round.run(scenarioId + ".warmUp" + n);
            rounds.add(phase);
            share = jit.shareSince(mark);
            if (!phase.complete()) {
                return new Outcome(rounds, share, false);
            }
            if (n >= MIN_ROUNDS && share <= SETTLED_JIT_SHARE) {
                return new Outcome(rounds, share, true);
            }
        }
        return new Outcome(rounds, share, false);
    }
}
