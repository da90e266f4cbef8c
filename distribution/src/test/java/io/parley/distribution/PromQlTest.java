package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void metricNamesSkipFunctionsGroupingLabelsMatchersAndRanges() {
        String expression = "histogram_quantile(0.95, sum by (le, connector) "
                + "(rate(parley_worker_call_seconds_bucket{job=~\"$worker_job\",status!=\"OK\"}[$__rate_interval])))";

        assertThat(PromQl.metricNames(expression)).containsExactly("parley_worker_call_seconds_bucket");
    }

    @Test
    void metricNamesOfBinaryOperationsAndSubqueries() {
        String expression = "sum(parley_pending_calls) > 100\n  and deriv(sum(parley_pending_calls)[10m:1m]) > 0 "
                + "or max by (connector) (parley_worker_circuit_state) == bool 1 unless on (instance) up offset 5m";

        assertThat(PromQl.metricNames(expression)).containsExactly("parley_pending_calls", "parley_worker_circuit_state", "up");
    }

    @Test
    void labelValuesThatLookLikeNamesAreNotMetrics() {
        assertThat(PromQl.metricNames("sum(rate(parley_turns_total{outcome=~\"no_match|timed_out\"}[10m]))"))
                .containsExactly("parley_turns_total");
    }

    @Test
    void exposedNamesAreTheSampleNamesOfAnExposition() {
        String exposition = """
                # HELP parley_turns_total Turns ended
                # TYPE parley_turns_total counter
                parley_turns_total{intent="none",outcome="no_match"} 1.0
                parley_pending_calls 0.0
                """;

        assertThat(PromQl.exposedNames(exposition)).containsExactly("parley_pending_calls", "parley_turns_total");
    }
}
