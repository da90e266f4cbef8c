package io.parley.processor.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The validated rules file.
 *
 * @param source where the rules came from, for messages
 * @param rules the rules, in file order
 * @param grace how long, in event time, measurements of a device are held back so that late ones can be put in
 *              order; a measurement older than the device's newest minus the grace (and not held any more) is dropped
 * @param checkEvery how often the wall-clock punctuator looks for due deadlines (absence, silent devices)
 */
public record RuleBook(String source, List<Rule> rules, Duration grace, Duration checkEvery) {

    /** No rules: telemetry is not read at all. */
    public static final RuleBook OFF = new RuleBook("none", List.of(), Duration.ZERO, Duration.ofSeconds(1));

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofSeconds(1);

    public RuleBook {
        rules = List.copyOf(rules);
    }

    public boolean enabled() {
        return !rules.isEmpty();
    }

    /** Whether any rule makes backend calls (then the topology routes the answers of alert calls back). */
    public boolean makesCalls() {
        return rules.stream().anyMatch(Rule::makesCalls);
    }

    Map<String, Rule> byName() {
        return rules.stream().collect(Collectors.toMap(Rule::name, Function.identity()));
    }
}
