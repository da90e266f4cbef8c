package io.parley.processor.telemetry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The aggregate of an {@link RuleKind#AGGREGATE} rule's window. */
public enum Aggregate {
    AVG, MIN, MAX, COUNT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Aggregate> parse(String text) {
        return Arrays.stream(values()).filter(a -> a.label().equals(text.strip().toLowerCase(Locale.ROOT))).findFirst();
    }
}
