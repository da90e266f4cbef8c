package io.parley.bench.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** A report as a run of this build produces it: S1 measured, S2 not run, S4 measured, the comparison unmeasured. */
final class ReportFixtures {

    private ReportFixtures() {
    }

    static BenchReport sample() {
        MachineInfo machine = new MachineInfo(2, Optional.of("Test CPU"), Optional.of(8L << 30), "17.0.15+6", "Debian",
                "OpenJDK 64-Bit Server VM", 2L << 30, List.of("-Xmx2g"), "Linux 6.1 amd64");
        ScenarioResult s1 = ScenarioResult.completed("S1", "pass-through", Map.of("partitions", 4),
                List.of(new PhaseSummary("S1.max", OptionalDouble.empty(), 10_000, 1_000, 10_000, Map.of(), 0, 0, 2.5, OptionalDouble.of(0.42))),
                List.of(Measurement.of("throughput", "throughput", "records/s", 8_295.4)));
        ScenarioResult s2 = ScenarioResult.skipped("S2-alos", "full pipeline", "no pipeline in this build",
                Map.of("processing.guarantee", "at_least_once"),
                List.of(Measurement.notMeasured("throughput", "max turns/s", "turns/s", Optional.of(Target.atLeast(5_000))),
                        Measurement.notMeasured("latency1000.p99", "latency p99 @ 1000 turns/s", "ms",
                                Optional.of(Target.atMost(50)))));
        ScenarioResult s4 = ScenarioResult.completed("S4", "synchronous baseline", Map.of("backend.delay", "PT0.2S"),
                List.of(new PhaseSummary("S4.max", OptionalDouble.empty(), 40, 4, 39, Map.of("ERROR", 1L), 0, 0, 10.4, OptionalDouble.empty())),
                List.of(Measurement.of("throughput", "turns/s", "turns/s", 4.87)));
        Comparison ratio = Comparison.ratioOf("S3 / S4 turns/s", "S3.throughput", Optional.empty(),
                "S4.throughput", s4.measurement("throughput"), Target.atLeast(100));
        return new BenchReport(Instant.parse("2026-11-24T05:00:00Z"), Instant.parse("2026-11-24T05:01:00Z"),
                List.of("--quick"), "quick", machine, Map.of("cluster", "embedded"), List.of(s1, s2, s4), List.of(ratio));
    }
}
