package io.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    @Test
    void theTableShowsTargetAndMeasuredValueOnEachLine() {
        String markdown = MarkdownReport.render(ReportFixtures.sample());

        assertThat(markdown).contains("| Scenario | Measure | Target | Measured | Verdict |");
        assertThat(markdown).contains("| S1 pass-through | throughput | — | 8,295 records/s | — |");
        assertThat(markdown).contains("| S4 synchronous baseline | turns/s | — | 4.87 turns/s | — |");
    }

    @Test
    void aScenarioThatDidNotRunStillShowsItsTargets() {
        String markdown = MarkdownReport.render(ReportFixtures.sample());

        assertThat(markdown).contains("| S2-alos full pipeline | max turns/s | ≥ 5,000 turns/s | not run | not measured |");
        assertThat(markdown).contains("| S2-alos full pipeline | latency p99 @ 1000 turns/s | ≤ 50 ms | not run | not measured |");
        assertThat(markdown).contains("- **S2-alos** full pipeline: skipped (no pipeline in this build)");
        assertThat(markdown).contains("| S3 / S4 turns/s | ratio | ≥ 100× | not measured | not measured |");
    }

    @Test
    void aMissedTargetIsMarked() {
        ScenarioResult slow = ScenarioResult.completed("S3", "slow backend", Map.of(), List.of(),
                List.of(Measurement.of("throughput", "turns/s", "turns/s", 640, Target.atLeast(1_000))));
        BenchReport sample = ReportFixtures.sample();
        BenchReport report = new BenchReport(sample.startedAt(), sample.finishedAt(), sample.command(), sample.mode(),
                sample.machine(), sample.kafka(), List.of(slow), List.of());

        assertThat(MarkdownReport.render(report)).contains("| S3 slow backend | turns/s | ≥ 1,000 turns/s | 640.0 turns/s | **missed** |");
    }

    @Test
    void eachScenarioStatesItsConfigurationMessagesAndWarmUp() {
        String markdown = MarkdownReport.render(ReportFixtures.sample());

        assertThat(markdown).contains("  - configuration: partitions=4");
        assertThat(markdown).contains("  - S1.max: 10,000 messages, warm-up 1,000, answered 10,000, other replies 0");
        assertThat(markdown).contains("  - S4.max: 40 messages, warm-up 4, answered 39, other replies ERROR 1");
    }

    @Test
    void aPhaseStatesWhatATurnCostTheBenchJvmWhenItIsKnown() {
        String markdown = MarkdownReport.render(ReportFixtures.sample());

        assertThat(markdown).containsPattern("- S1\\.max: .*, 2\\.50 s, bench JVM CPU 0\\.42 ms/turn\n");
        assertThat(markdown).containsPattern("- S4\\.max: .*, 10\\.4 s\n");
    }

    @Test
    void theHeaderNamesTheMachineAndTheCommand() {
        String markdown = MarkdownReport.render(ReportFixtures.sample());

        assertThat(markdown).contains("2 cores (Test CPU), 8.00 GiB RAM; JVM 17.0.15+6 (Debian, OpenJDK 64-Bit Server VM), max heap 2,048 MB");
        assertThat(markdown).contains("- Command: `--quick`");
    }
}
