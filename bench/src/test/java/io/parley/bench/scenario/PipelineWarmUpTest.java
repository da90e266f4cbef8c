package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.load.PhaseResult;
import io.parley.bench.report.PhaseSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PipelineWarmUpTest {

    /** A compiler clock and a wall clock the rounds move: each round lasts 10 s and compiles what it is told. */
    private final AtomicLong compiledMillis = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final JitActivity jit = new JitActivity(compiledMillis::get, nanos::get);
    private final List<String> phases = new ArrayList<>();

    private PipelineWarmUp.Round compiling(long... millisPerRound) {
        return phase -> {
            int round = phases.size();
            phases.add(phase);
            nanos.addAndGet(10_000_000_000L);
            compiledMillis.addAndGet(millisPerRound[Math.min(round, millisPerRound.length - 1)]);
            return result(phase, true);
        };
    }

    @Test
    void roundsGoOnWhileTheCompilerIsBusyAndStopOnceItSettled() throws Exception {
        // 10 s rounds: 30 %, 12 %, 6 %, then 2 % of a core compiling
        PipelineWarmUp.Outcome outcome = PipelineWarmUp.untilSettled(jit, compiling(3_000, 1_200, 600, 200), "S2-eos");

        assertThat(phases).containsExactly("S2-eos.warmUp1", "S2-eos.warmUp2", "S2-eos.warmUp3", "S2-eos.warmUp4");
        assertThat(outcome.settled()).isTrue();
        assertThat(outcome.jitShare()).isEqualTo(0.02);
        assertThat(outcome.rounds()).hasSize(4);
    }

    @Test
    void aQuietCompilerStillGetsTheMinimumRounds() throws Exception {
        PipelineWarmUp.Outcome outcome = PipelineWarmUp.untilSettled(jit, compiling(0), "S2-alos");

        assertThat(outcome.rounds()).hasSize(PipelineWarmUp.MIN_ROUNDS);
        assertThat(outcome.settled()).isTrue();
    }

    @Test
    void aCompilerThatNeverSettlesEndsAfterTheLastRoundAndSaysSo() throws Exception {
        PipelineWarmUp.Outcome outcome = PipelineWarmUp.untilSettled(jit, compiling(2_000), "S2-alos");

        assertThat(outcome.rounds()).hasSize(PipelineWarmUp.MAX_ROUNDS);
        assertThat(outcome.settled()).isFalse();
        assertThat(outcome.jitShare()).isEqualTo(0.2);
    }

    @Test
    void aRoundThatDidNotCompleteEndsTheWarmUp() throws Exception {
        PipelineWarmUp.Outcome outcome = PipelineWarmUp.untilSettled(jit, phase -> {
            phases.add(phase);
            return result(phase, false);
        }, "S2-eos");

        assertThat(phases).containsExactly("S2-eos.warmUp1");
        assertThat(outcome.complete()).isFalse();
        assertThat(outcome.settled()).isFalse();
    }

    @Test
    void whereTheJvmDoesNotCountCompilationTheMinimumRoundsAreTheWarmUp() throws Exception {
        JitActivity unmeasurable = new JitActivity(() -> 0L, nanos::get);

        PipelineWarmUp.Outcome outcome = PipelineWarmUp.untilSettled(unmeasurable, compiling(0), "S2-eos");

        assertThat(outcome.rounds()).hasSize(PipelineWarmUp.MIN_ROUNDS);
    }

    @Test
    void twoRoundsAreTheTurnsOfTheFixedWarmUp() {
        assertThat(2 * PipelineWarmUp.roundTurns(100_000)).isEqualTo(PipelineWarmUp.turns(100_000));
    }

    private static PhaseResult result(String phase, boolean complete) {
        PhaseSummary summary = new PhaseSummary(phase, OptionalDouble.empty(), 10, 0, complete ? 10 : 5, Map.of(), 0,
                complete ? 0 : 5, 10, OptionalDouble.empty());
        return new PhaseResult(summary, OptionalDouble.of(1), Optional.empty(), complete);
    }
}
