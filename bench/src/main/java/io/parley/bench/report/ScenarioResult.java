package io.parley.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one scenario: its configuration, the load phases it ran and its measurement
 * lines. A scenario that did not run keeps its planned lines (with targets) without values, so
 * the report always shows every target.
 *
 * @param id short id such as "S1" or "S2-eos"
 * @param title what the scenario measures
 * @param status whether it ran
 * @param reason why it was skipped or failed; empty when completed
 * @param configuration the settings that shape the figures, in a stable order
 * @param phases the load phases, in the order they ran
 * @param measurements the report lines
 */
public record ScenarioResult(String id, String title, Status status, Optional<String> reason,
                             Map<String, Object> configuration, List<PhaseSummary> phases,
                             List<Measurement> measurements) {

    /** Whether a scenario ran. */
    public enum Status {
        COMPLETED,
        SKIPPED,
        FAILED
    }

    public ScenarioResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        configuration = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
        phases = List.copyOf(phases);
        measurements = List.copyOf(measurements);
    }

    public static ScenarioResult completed(String id, String title, Map<String, Object> configuration,
                                           List<PhaseSummary> phases, List<Measurement> measurements) {
        return new ScenarioResult(id, title, Status.COMPLETED, Optional.empty(), configuration, phases, measurements);
    }

    /** A scenario that could not run here; its planned lines are shown unmeasured. */
    public static ScenarioResult skipped(String id, String title, String reason, Map<String, Object> configuration,
                                         List<Measurement> planned) {
        return new ScenarioResult(id, title, Status.SKIPPED, Optional.of(reason), configuration, List.of(),
                planned.stream().map(Measurement::withoutValue).toList());
    }

    /**
     * A scenario that broke part-way; the phases that finished and the lines they measured are
     * kept, the other lines come without values.
     */
    public static ScenarioResult failed(String id, String title, String reason, Map<String, Object> configuration,
                                        List<PhaseSummary> phases, List<Measurement> measurements) {
        return new ScenarioResult(id, title, Status.FAILED, Optional.of(reason), configuration, phases, measurements);
    }

    /** The line with this key, if the scenario has one. */
    public Optional<Measurement> measurement(String key) {
        return measurements.stream().filter(m -> m.key().equals(key)).findFirst();
    }
}
