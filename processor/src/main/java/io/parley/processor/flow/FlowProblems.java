package io.parley.processor.flow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where the flow loader reports problems: at start the first one stops everything (one line naming
 * file, entry and field); {@code parley flows validate} collects them all, each with its line and column.
 * The loader runs the same rules either way.
 */
abstract class FlowProblems {

    private int count;

    static FlowProblems failFast() {
        return new FailFast();
    }

    static Collecting collecting() {
        return new Collecting();
    }

    /** Reports a problem (a fail-fast sink throws it). */
    final void report(ConfigException problem) {
        count++;
        accept(problem);
    }

    /** Reports a problem that already knows its position (a fail-fast sink throws it as one line). */
    final void report(FlowProblem problem) {
        count++;
        accept(problem);
    }

    /** The positions of a file's entries, for the problems found in it. */
    void locate(String file, YamlLocations locations) {
    }

    /** Runs a part of the reading; a problem it throws is reported and the value is empty. */
    final <T> Optional<T> attempt(Supplier<T> part) {
        try {
            return Optional.ofNullable(part.get());
        } catch (ConfigException e) {
            report(e);
            return Optional.empty();
        }
    }

    /** Reads something already checked (and reported) elsewhere: a problem only makes the value empty. */
    static <T> Optional<T> quietly(Supplier<T> part) {
        try {
            return Optional.ofNullable(part.get());
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    /** Runs a check; a problem it throws is reported. */
    final void check(Runnable part) {
        try {
            part.run();
        } catch (ConfigException e) {
            report(e);
        }
    }

    final int count() {
        return count;
    }

    final boolean any() {
        return count > 0;
    }

    abstract void accept(ConfigException problem);

    abstract void accept(FlowProblem problem);

    private static final class FailFast extends FlowProblems {

        @Override
        void accept(ConfigException problem) {
            throw problem;
        }

        @Override
        void accept(FlowProblem problem) {
            throw new ConfigException(problem.line());
        }
    }

    /** Keeps every problem, located by the positions of the files' entries. */
    static final class Collecting extends FlowProblems {

        private final List<FlowProblem> problems = new ArrayList<>();
        private final Map<String, YamlLocations> locations = new HashMap<>();

        @Override
        void locate(String file, YamlLocations positions) {
            locations.put(file, positions);
        }

        @Override
        void accept(FlowProblem problem) {
            problems.add(problem);
        }

        /**
         * Messages are {@code file: path: message} (or {@code file: message} for a file as a whole);
         * the file is one of the files read, so it is recognised by its label, not by splitting on colons.
         */
        @Override
        void accept(ConfigException problem) {
            String message = problem.getMessage() == null ? "" : problem.getMessage();
            for (Map.Entry<String, YamlLocations> file : locations.entrySet()) {
                String prefix = file.getKey() + ": ";
                if (!message.startsWith(prefix)) {
                    continue;
                }
                String rest = message.substring(prefix.length());
                int colon = rest.indexOf(": ");
                Optional<YamlLocations.Position> position = colon > 0 ? file.getValue().find(rest.substring(0, colon)) : Optional.empty();
                if (position.isPresent()) {
                    problems.add(new FlowProblem(file.getKey(), rest.substring(0, colon), rest.substring(colon + 2), position, ""));
                } else {
                    problems.add(new FlowProblem(file.getKey(), "", rest, Optional.empty(), ""));
                }
                return;
            }
            problems.add(new FlowProblem(unlocatedFile(message), "", unlocatedMessage(message), Optional.empty(), ""));
        }

        private static String unlocatedFile(String message) {
            int colon = message.indexOf(": ");
            return colon > 0 && !message.substring(0, colon).contains(" ") ? message.substring(0, colon) : "flows";
        }

        private static String unlocatedMessage(String message) {
            int colon = message.indexOf(": ");
            return colon > 0 && !message.substring(0, colon).contains(" ") ? message.substring(colon + 2) : message;
        }

        /** Every problem, by file and position. */
        List<FlowProblem> problems() {
            List<FlowProblem> sorted = new ArrayList<>(problems);
            sorted.sort(java.util.Comparator.comparing(FlowProblem::file)
                    .thenComparing(p -> p.position().map(YamlLocations.Position::line).orElse(0))
                    .thenComparing(p -> p.position().map(YamlLocations.Position::column).orElse(0)));
            return List.copyOf(sorted);
        }
    }
}
