package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.parley.bench.load.NanoTimer;
import io.parley.bench.report.BenchReport;
import io.parley.bench.report.Comparison;
import io.parley.bench.report.MachineInfo;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.report.Verdict;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchRunnerTest {

    @TempDir
    Path work;

    /** A scenario that reports a fixed throughput, or breaks. */
    private record FixedScenario(String id, Double throughput) implements Scenario {

        @Override
        public String title() {
            return "fixed";
        }

        @Override
        public Map<String, Object> configuration(ScenarioContext context) {
            return Map.of("messages", 10);
        }

        @Override
        public List<Measurement> planned(ScenarioContext context) {
            return List.of(Measurement.notMeasured("throughput", "turns/s", "turns/s", Optional.empty()));
        }

        @Override
        public ScenarioResult run(ScenarioContext context) {
            if (throughput == null) {
                throw new IllegalStateException("the broker went away");
            }
            return ScenarioResult.completed(id, title(), configuration(context), List.of(),
                    List.of(Measurement.of("throughput", "turns/s", "turns/s", throughput)));
        }
    }

    private BenchReport run(Scenario... scenarios) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T05:00:00Z"), ZoneOffset.UTC);
        ScenarioContext context = new ScenarioContext("t", null, BenchSettings.quick(), clock, NanoTimer.system(), work);
        return new BenchRunner(List.of(scenarios), clock).run(context, List.of(), Map.of(), MachineInfo.current());
    }

    @Test
    void aScenarioThatBreaksIsReportedWithItsTargetsAndTheRunGoesOn() {
        BenchReport report = run(new FixedScenario("S1", null), new FixedScenario("S4", 5.0));

        ScenarioResult broken = report.scenario("S1").orElseThrow();
        assertThat(broken.status()).isEqualTo(ScenarioResult.Status.FAILED);
        assertThat(broken.reason()).hasValue("IllegalStateException: the broker went away");
        assertThat(broken.measurements()).extracting(Measurement::verdict).containsExactly(Verdict.NOT_MEASURED);
        assertThat(report.scenario("S4").orElseThrow().status()).isEqualTo(ScenarioResult.Status.COMPLETED);
    }

    @Test
    void theAsynchronousPipelineIsComparedWithTheSynchronousBaseline() {
        BenchReport report = run(new FixedScenario("S3", 1_250.0), new FixedScenario("S4", 5.0));

        Comparison ratio = report.comparisons().get(0);
        assertThat(ratio.ratio().getAsDouble()).isCloseTo(250, within(0.001));
        assertThat(ratio.verdict()).isEqualTo(Verdict.MET);
    }
}
