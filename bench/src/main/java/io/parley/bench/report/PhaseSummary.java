package io.parley.bench.report;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one load phase of a scenario sent and got back, so a reader can see how much load a
 * figure rests on and whether every turn was answered.
 *
 * @param name the phase, for example "max rate" or "offered 1,000 turns/s"
 * @param offeredPerSecond the fixed offered rate; empty for a maximum-rate phase
 * @param messages turns sent
 * @param warmUp turns at the start left out of the figures
 * @param answered turns that got the expected reply
 * @param otherReplies turns answered with another kind of reply (fallback, error, ...), by kind
 * @param duplicates replies received more than once for the same turn
 * @param unanswered turns with no reply when the phase ended
 * @param elapsedSeconds from the first send to the last reply (or the end of waiting)
 * @param cpuMillisPerTurn CPU the bench JVM used during the phase (all its threads), per turn sent;
 *     empty when the JVM cannot tell
 */
public record PhaseSummary(String name, OptionalDouble offeredPerSecond, long messages, long warmUp, long answered,
                           Map<String, Long> otherReplies, long duplicates, long unanswered, double elapsedSeconds,
                           OptionalDouble cpuMillisPerTurn) {

    public PhaseSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(offeredPerSecond, "offeredPerSecond");
        Objects.requireNonNull(cpuMillisPerTurn, "cpuMillisPerTurn");
        otherReplies = Map.copyOf(otherReplies);
    }
}
