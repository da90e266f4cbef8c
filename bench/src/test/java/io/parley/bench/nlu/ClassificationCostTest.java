package io.parley.bench.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.flow.FlowSource;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classification-cost measurement runs on the demo flows and reports what it timed (figures are not checked here). */
class ClassificationCostTest {

    @Test
    void aSmallRunOnTheDemoFlowsTimesEveryMessageAndUnderstandsMostOfTheHeldOutSet() throws IOException {
        // Given the demo flows and their held-out test set
        List<String> texts = ClassificationCost.texts(FlowSource.classpath("flows/demo-shop.nlu-test.yaml"));
        assertThat(texts).hasSizeGreaterThan(10);

        // When a small run measures them
        ClassificationCost.Result result = ClassificationCost.measure(
                List.of(FlowSource.classpath("flows/demo-shop.yaml")), texts, 100, 500);

        // Then every message was timed, and the figures are consistent
        assertThat(result.messages()).isEqualTo(500);
        assertThat(result.meanMicros()).isPositive();
        assertThat(result.p99Micros()).isGreaterThanOrEqualTo(result.p50Micros());
        assertThat(result.understood()).isGreaterThan(250);
        assertThat(result.cpuMicros()).isPositive();
        assertThat(result.markdown()).startsWith("| classification cost | 500 messages | CPU ").contains("µs/message");
    }
}
