package io.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    @Test
    void theRatioOfTwoMeasuredValuesIsJudgedAgainstItsTarget() {
        Comparison met = Comparison.ratioOf("S3 / S4", "S3.throughput",
                Optional.of(Measurement.of("throughput", "turns/s", "turns/s", 1_200)), "S4.throughput",
                Optional.of(Measurement.of("throughput", "turns/s", "turns/s", 4.8)), Target.atLeast(100));

        assertThat(met.ratio().getAsDouble()).isCloseTo(250, within(0.001));
        assertThat(met.verdict()).isEqualTo(Verdict.MET);
    }

    @Test
    void aRatioWithAnUnmeasuredSideIsNotMeasured() {
        Comparison missing = Comparison.ratioOf("S3 / S4", "S3.throughput", Optional.empty(), "S4.throughput",
                Optional.of(Measurement.of("throughput", "turns/s", "turns/s", 4.8)), Target.atLeast(100));

        assertThat(missing.ratio()).isEmpty();
        assertThat(missing.verdict()).isEqualTo(Verdict.NOT_MEASURED);
    }
}
