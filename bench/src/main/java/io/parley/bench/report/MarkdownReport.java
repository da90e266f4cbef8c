package io.parley.bench.report;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Renders a {@link BenchReport} as markdown: a header with the date, machine and Kafka, one
 * table with target and measured value per line, then each scenario's configuration and load
 * phases. The same figures as the JSON file, for the README and the console.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static String render(BenchReport report) {
        StringBuilder out = new StringBuilder();
        out.append("## Parley bench, ").append(report.startedAt()).append(" (").append(report.mode()).append(" run)\n\n");
        out.append("- Machine: ").append(machine(report.machine())).append('\n');
        out.append("- Kafka: ").append(report.kafka().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        out.append("- Command: `").append(String.join(" ", report.command())).append("`\n\n");

        out.append("| Scenario | Measure | Target | Measured | Verdict |\n");
        out.append("|---|---|---|---|---|\n");
        for (ScenarioResult scenario : report.scenarios()) {
            for (Measurement line : scenario.measurements()) {
                row(out, scenario.id() + " " + scenario.title(), line.label(), line.target(), line.value(), line.unit(),
                        line.verdict(), scenario);
            }
        }
        for (Comparison comparison : report.comparisons()) {
            row(out, comparison.label(), "ratio", comparison.target(), comparison.ratio(), "×", comparison.verdict(), null);
        }

        out.append("\n### Scenarios\n\n");
        for (ScenarioResult scenario : report.scenarios()) {
            scenarioSection(out, scenario);
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String scenario, String measure, Optional<Target> target,
                            OptionalDouble value, String unit, Verdict verdict, ScenarioResult owner) {
        out.append("| ").append(cell(scenario))
                .append(" | ").append(cell(measure))
                .append(" | ").append(target.map(t -> Figures.target(t, unit)).orElse("—"))
                .append(" | ").append(value.isPresent() ? Figures.withUnit(value.getAsDouble(), unit) : notMeasured(owner))
                .append(" | ").append(verdict(verdict))
                .append(" |\n");
    }

    private static String notMeasured(ScenarioResult owner) {
        if (owner == null) {
            return "not measured";
        }
        return owner.status() == ScenarioResult.Status.SKIPPED ? "not run" : "not measured";
    }

    private static String verdict(Verdict verdict) {
        return switch (verdict) {
            case MET -> "met";
            case MISSED -> "**missed**";
            case NO_TARGET -> "—";
            case NOT_MEASURED -> "not measured";
        };
    }

    private static void scenarioSection(StringBuilder out, ScenarioResult scenario) {
        out.append("- **").append(scenario.id()).append("** ").append(scenario.title()).append(": ")
                .append(scenario.status().name().toLowerCase(java.util.Locale.ROOT));
        scenario.reason().ifPresent(reason -> out.append(" (").append(reason).append(')'));
        out.append('\n');
        if (!scenario.configuration().isEmpty()) {
            out.append("  - configuration: ").append(scenario.configuration().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        }
        for (PhaseSummary phase : scenario.phases()) {
            out.append("  - ").append(phase.name()).append(": ")
                    .append(Figures.count(phase.messages())).append(" messages, warm-up ")
                    .append(Figures.count(phase.warmUp())).append(", answered ").append(Figures.count(phase.answered()))
                    .append(otherReplies(phase.otherReplies()))
                    .append(", duplicates ").append(Figures.count(phase.duplicates()))
                    .append(", unanswered ").append(Figures.count(phase.unanswered()))
                    .append(", ").append(Figures.number(phase.elapsedSeconds())).append(" s")
                    .append(cpu(phase))
                    .append('\n');
        }
    }

    private static String otherReplies(Map<String, Long> byKind) {
        if (byKind.isEmpty()) {
            return ", other replies 0";
        }
        return ", other replies " + byKind.entrySet().stream()
                .map(e -> e.getKey() + " " + Figures.count(e.getValue())).collect(Collectors.joining(", "));
    }

    private static String machine(MachineInfo machine) {
        StringBuilder text = new StringBuilder();
        text.append(machine.cores()).append(" cores");
        machine.cpuModel().ifPresent(model -> text.append(" (").append(model).append(')'));
        machine.physicalMemoryBytes().ifPresent(bytes ->
                text.append(", ").append(Figures.number(Figures.mebibytes(bytes) / 1024)).append(" GiB RAM"));
        text.append("; JVM ").append(machine.jvmVersion()).append(" (").append(machine.jvmVendor()).append(", ")
                .append(machine.jvmName()).append("), max heap ")
                .append(Figures.count(Math.round(Figures.mebibytes(machine.maxHeapBytes())))).append(" MB; ")
                .append(machine.os());
        return text.toString();
    }

    /** Keeps a table cell in one piece. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }

    private static String cpu(PhaseSummary phase) {
        return phase.cpuMillisPerTurn().isPresent()
                ? ", bench JVM CPU " + Figures.number(phase.cpuMillisPerTurn().getAsDouble()) + " ms/turn"
                : "";
    }
}
