package io.parley.processor.telemetry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a trigger rule watches for; the {@code kind:} of a rule in the rules file. */
public enum RuleKind {
    /** The value crosses the threshold. */
    THRESHOLD,
    /** The value stays across the threshold for a duration ({@code for:}), in event time. */
    HELD,
    /** An aggregate (avg, min, max, count) over a tumbling or hopping window crosses the threshold. */
    AGGREGATE,
    /** The change per {@code per:} between consecutive measurements crosses the threshold. */
    RATE,
    /** No measurement of the metric for {@code after:}. */
    ABSENCE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<RuleKind> parse(String text) {
        return Arrays.stream(values()).filter(kind -> kind.label().equals(text.strip().toLowerCase(Locale.ROOT))).findFirst();
    }
}
