package io.parley.local.tools.flowtest;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one conversation test.
 *
 * @param failure where the test failed and the readable difference; empty when it passed
 */
public record FlowTestResult(String name, long millis, Optional<Failure> failure) {

    /** Where a test failed ({@code demo-shop.test.yaml: tests[order found].conversation[0]}) and what differed. */
    public record Failure(String where, String diff) {
    }

    static FlowTestResult passed(String name, long millis) {
        return new FlowTestResult(name, millis, Optional.empty());
    }

    static FlowTestResult failed(String name, long millis, String where, String diff) {
        return new FlowTestResult(name, millis, Optional.of(new Failure(where, diff)));
    }

    public boolean passed() {
        return failure.isEmpty();
    }

    /** The results of one test file. */
    public record Suite(String file, List<FlowTestResult> results) {

        public Suite {
            results = List.copyOf(results);
        }

        public long failures() {
            return results.stream().filter(result -> !result.passed()).count();
        }

        public long millis() {
            return results.stream().mapToLong(FlowTestResult::millis).sum();
        }
    }
}
