package io.parley.processor.telemetry;

import io.parley.runtime.config.ConfigSection;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.flow.NotificationTemplate;
import io.parley.schemas.NotificationPriority;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads and checks a rules file. Every problem is one line naming the file, the rule and the field:
 * {@code rules.yaml: rules[freezer-warm].window: 0s must be positive}.
 *
 * <pre>
 * grace: 10s          # event-time grace for out-of-order measurements (default 10s)
 * checkEvery: 1s      # how often absence and silent devices are checked (default 1s)
 * rules:
 *   - name: freezer-warm
 *     metric: temperature
 *     kind: held                 # threshold | held | aggregate | rate | absence
 *     above: -15                 # or below: (not for absence)
 *     for: 10m                   # held
 *     rearmAfter: 5m             # hysteresis (default 0s)
 *     message: "Your {{device.name}} in {{device.location}} has been above {{threshold}} °C for {{for}}."
 * </pre>
 */
public final class RuleLoader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** More windows of one rule open at once than this is a configuration mistake (window much larger than advance). */
    static final int MAX_OPEN_WINDOWS = 60;
    private static final Duration MAX_DURATION = Duration.ofDays(7);

    private RuleLoader() {
    }

    public static RuleBook load(FlowSource source) {
        try (InputStream in = source.open()) {
            return read(ConfigSection.parse(source.label(), in));
        } catch (IOException e) {
            throw new ConfigException(source.label() + ": cannot read the rules file (" + e.getMessage() + ")");
        }
    }

    static RuleBook read(ConfigSection root) {
        Duration grace = root.duration("grace", RuleBook.DEFAULT_GRACE);
        if (grace.isNegative() || grace.compareTo(MAX_DURATION) > 0) {
            throw root.error("grace", grace + " is out of range; allowed are 0s to 7d");
        }
        Duration checkEvery = root.duration("checkEvery", RuleBook.DEFAULT_CHECK_EVERY);
        if (checkEvery.toMillis() < 10 || checkEvery.compareTo(Duration.ofMinutes(10)) > 0) {
            throw root.error("checkEvery", checkEvery + " is out of range; allowed are 10ms to 10m");
        }
        List<ConfigSection> items = root.sectionList("rules");
        root.rejectUnknownKeys();
        if (items.isEmpty()) {
            throw root.error("rules", "is required: list at least one rule");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigSection item : items) {
            Rule rule = rule(item);
            if (!names.add(rule.name())) {
                throw item.error("name", "'" + rule.name() + "' is used by an earlier rule; rule names must be unique");
            }
            rules.add(rule);
        }
        return new RuleBook(root.file(), rules, grace, checkEvery);
    }

    private static Rule rule(ConfigSection raw) {
        String name = raw.requiredString("name");
        if (!NAME.matcher(name).matches()) {
            throw raw.error("name", "'" + name + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        ConfigSection item = raw.relabel("rules[" + name + "]");
        String metric = item.requiredString("metric");
        String kindText = item.requiredString("kind");
        RuleKind kind = RuleKind.parse(kindText).orElseThrow(() -> item.error("kind", "'" + kindText + "' is not one of "
                + Arrays.stream(RuleKind.values()).map(RuleKind::label).toList()));
        boolean hasAbove = item.has("above");
        boolean hasBelow = item.has("below");
        boolean above = true;
        double threshold = 0;
        if (kind == RuleKind.ABSENCE) {
            if (hasAbove || hasBelow) {
                throw item.error(hasAbove ? "above" : "below", "an absence rule has no threshold; say how long with after:");
            }
        } else {
            if (hasAbove == hasBelow) {
                throw item.error("above", "give exactly one of above: or below: (the threshold)");
            }
            above = hasAbove;
            threshold = item.doubleValue(above ? "above" : "below", 0, -Double.MAX_VALUE, Double.MAX_VALUE);
        }
        Duration held = Duration.ZERO;
        Aggregate aggregate = null;
        Duration window = Duration.ZERO;
        Duration advance = Duration.ZERO;
        Duration per = Duration.ZERO;
        Duration after = Duration.ZERO;
        String defaultThresholdName = metric + (above ? ".max" : ".min");
        switch (kind) {
            case THRESHOLD -> { }
            case HELD -> held = positive(item, "for", null);
            case AGGREGATE -> {
                String aggregateText = item.requiredString("aggregate");
                aggregate = Aggregate.parse(aggregateText).orElseThrow(() -> item.error("aggregate", "'" + aggregateText
                        + "' is not one of " + Arrays.stream(Aggregate.values()).map(Aggregate::label).toList()));
                window = positive(item, "window", null);
                advance = positive(item, "advance", window);
                if (advance.compareTo(window) > 0) {
                    throw item.error("advance", advance + " is longer than the window " + window + "; measurements between windows would be lost");
                }
                if (window.toMillis() % advance.toMillis() != 0) {
                    throw item.error("advance", advance + " must divide the window " + window + " evenly");
                }
                if (window.toMillis() / advance.toMillis() > MAX_OPEN_WINDOWS) {
                    throw item.error("advance", advance + " is too small for the window " + window + "; at most "
                            + MAX_OPEN_WINDOWS + " windows may overlap");
                }
                defaultThresholdName = metric + "." + aggregate.label() + (above ? ".max" : ".min");
            }
            case RATE -> {
                per = positive(item, "per", Duration.ofMinutes(1));
                defaultThresholdName = metric + ".rate" + (above ? ".max" : ".min");
            }
            case ABSENCE -> after = positive(item, "after", null);
        }
        String deviceThreshold = kind == RuleKind.ABSENCE ? null : item.string("deviceThreshold", defaultThresholdName);
        Duration rearmAfter = item.duration("rearmAfter", Duration.ZERO);
        if (rearmAfter.isNegative() || rearmAfter.compareTo(MAX_DURATION) > 0) {
            throw item.error("rearmAfter", rearmAfter + " is out of range; allowed are 0s to 7d");
        }
        String message = item.requiredString("message");
        try {
            NotificationTemplate.render(message, Map.of(), Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw item.error("message", e.getMessage());
        }
        String priorityText = item.string("priority", NotificationPriority.HIGH.name());
        NotificationPriority priority = Arrays.stream(NotificationPriority.values())
                .filter(p -> p.name().equals(priorityText.strip().toUpperCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> item.error("priority", "'" + priorityText + "' is not one of low, normal, high"));
        RuleCalls.Declared calls = RuleCalls.read(item, message);
        item.rejectUnknownKeys();
        return new Rule(name, metric, kind, above, threshold, deviceThreshold, held, aggregate, window, advance, per, after,
                rearmAfter, message, priority, calls.calls(), calls.fallback(), calls.deadline());
    }

    private static Duration positive(ConfigSection item, String key, Duration defaultValue) {
        if (defaultValue == null && !item.has(key)) {
            throw item.error(key, "is required for this kind of rule");
        }
        Duration value = item.duration(key, defaultValue);
        if (value.toMillis() <= 0 || value.compareTo(MAX_DURATION) > 0) {
            throw item.error(key, value + " is out of range; allowed are 1ms to 7d");
        }
        return value;
    }
}
