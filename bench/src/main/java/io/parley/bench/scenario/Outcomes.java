package io.parley.bench.scenario;

import io.parley.bench.load.PhaseResult;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.PhaseSummary;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.report.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Turns load phases into a scenario result, refusing figures from phases that did not finish. */
final class Outcomes {

    private Outcomes() {
    }

    /** A report line; empty value when the phase produced none. */
    static Measurement line(String key, String label, String unit, OptionalDouble value, Optional<Target> target) {
        return new Measurement(key, label, unit, value, target);
    }

    /**
     * Completed when every phase got a reply for every turn; otherwise failed, naming the
     * phases with unanswered turns, and no line keeps a value: a rate or a percentile over
     * turns that never came back would flatter the system.
     */
    static ScenarioResult of(Scenario scenario, Map<String, Object> configuration, List<PhaseResult> phases,
                             List<Measurement> lines) {
        List<PhaseSummary> summaries = phases.stream().map(PhaseResult::summary).toList();
        List<String> incomplete = phases.stream()
                .filter(p -> !p.complete())
                .map(p -> p.summary().name() + " (" + p.summary().unanswered() + " of " + p.summary().messages() + " unanswered)")
                .toList();
        if (!incomplete.isEmpty()) {
            return ScenarioResult.failed(scenario.id(), scenario.title(), "turns without reply: " + String.join(", ", incomplete),
                    configuration, summaries, lines.stream().map(Measurement::withoutValue).toList());
        }
        return ScenarioResult.completed(scenario.id(), scenario.title(), configuration, summaries, lines);
    }
}
