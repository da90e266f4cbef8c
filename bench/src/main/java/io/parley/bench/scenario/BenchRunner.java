package io.parley.bench.scenario;

import io.parley.bench.report.BenchReport;
import io.parley.bench.report.Comparison;
import io.parley.bench.report.MachineInfo;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scenarios back to back on one cluster and assembles the report. A scenario that throws
 * is reported as failed with its targets, and the run goes on.
 */
public final class BenchRunner {

    private static final Logger LOG = LoggerFactory.getLogger(BenchRunner.class);

    private final List<Scenario> scenarios;
    private final Clock clock;

    public BenchRunner(List<Scenario> scenarios, Clock clock) {
        this.scenarios = List.copyOf(scenarios);
        this.clock = clock;
    }

    public BenchReport run(ScenarioContext context, List<String> command, Map<String, String> kafka, MachineInfo machine) {
        Instant startedAt = clock.instant();
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            LOG.info("Scenario {}: {}", scenario.id(), scenario.title());
            ScenarioResult result = runOne(scenario, context);
            LOG.info("Scenario {}: {}{}", scenario.id(), result.status(), result.reason().map(r -> " (" + r + ")").orElse(""));
            results.add(result);
        }
        return new BenchReport(startedAt, clock.instant(), command, context.settings().mode(), machine, kafka, results,
                comparisons(results));
    }

    private static ScenarioResult runOne(Scenario scenario, ScenarioContext context) {
        try {
            return scenario.run(context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScenarioResult.failed(scenario.id(), scenario.title(), "interrupted", scenario.configuration(context),
                    List.of(), scenario.planned(context));
        } catch (Exception | LinkageError e) {
            LOG.error("Scenario {} failed", scenario.id(), e);
            return ScenarioResult.failed(scenario.id(), scenario.title(), e.getClass().getSimpleName() + ": " + e.getMessage(),
                    scenario.configuration(context), List.of(), scenario.planned(context));
        }
    }

    /** Lines relating scenarios: the asynchronous pipeline against the synchronous baseline. */
    static List<Comparison> comparisons(List<ScenarioResult> results) {
        return List.of(Comparison.ratioOf("S3 / S4 turns/s",
                "S3." + SlowBackendScenario.THROUGHPUT, measurement(results, "S3", SlowBackendScenario.THROUGHPUT),
                "S4." + SynchronousBaselineScenario.THROUGHPUT, measurement(results, "S4", SynchronousBaselineScenario.THROUGHPUT),
                Targets.S3_OVER_S4));
    }

    private static Optional<Measurement> measurement(List<ScenarioResult> results, String scenario, String key) {
        return results.stream().filter(r -> r.id().equals(scenario)).findFirst().flatMap(r -> r.measurement(key));
    }
}
