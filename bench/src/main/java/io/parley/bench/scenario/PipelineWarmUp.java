package io.parley.bench.scenario;

import io.parley.bench.load.ExpectedReply;
import io.parley.bench.load.LoadDriver;
import io.parley.bench.load.PhaseResult;
import io.parley.bench.load.Workload;

/**
 * Turns a pipeline serves before its measured phases, at maximum rate. A fresh JVM on two cores
 * keeps compiling the broker's, Kafka Streams' and Parley's hot code for a minute or more, and the
 * in-phase warm-up (a tenth of the turns) does not cover that: without this, the first pipeline
 * scenario of a run would pay for the compiler and the later ones would not. Reported as a phase
 * of its own, outside the figures.
 */
final class PipelineWarmUp {

    private PipelineWarmUp() {
    }

    /** A fifth of the measured maximum-rate phase. */
    static int turns(int measuredTurns) {
        return Math.max(10, measuredTurns / 5);
    }

    static PhaseResult run(LoadDriver load, String scenarioId, Workload workload, int turns, ExpectedReply expected)
            throws InterruptedException {
        return load.maxRate(scenarioId + ".warmUp", workload, turns, 0, expected);
    }
}
