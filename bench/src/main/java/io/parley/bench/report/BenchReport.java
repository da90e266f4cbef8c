package io.parley.bench.report;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one bench run measured, with what is needed to judge it: when, on what machine,
 * against which Kafka, with which command and settings.
 *
 * @param startedAt when the run started
 * @param finishedAt when the last scenario ended
 * @param command the bench's command-line arguments
 * @param mode "quick" (smoke run, small counts) or "full"
 * @param machine the machine
 * @param kafka how Kafka was reached (embedded or external) and its version
 * @param scenarios the scenarios, in the order they ran
 * @param comparisons lines relating two scenarios
 */
public record BenchReport(Instant startedAt, Instant finishedAt, List<String> command, String mode, MachineInfo machine,
                          Map<String, String> kafka, List<ScenarioResult> scenarios, List<Comparison> comparisons) {

    public BenchReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(machine, "machine");
        command = List.copyOf(command);
        kafka = Collections.unmodifiableMap(new LinkedHashMap<>(kafka));
        scenarios = List.copyOf(scenarios);
        comparisons = List.copyOf(comparisons);
    }

    public Optional<ScenarioResult> scenario(String id) {
        return scenarios.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
