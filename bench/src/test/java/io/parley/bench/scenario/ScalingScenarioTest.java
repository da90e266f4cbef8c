package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.parley.bench.report.Measurement;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** S9's instance counts ({@code --s9-instances}) and its arithmetic: ratio to one instance, CPU per JVM and per turn. */
class ScalingScenarioTest {

    private static final long S = 1_000_000_000L;

    @Test
    void withoutASelectionOneTwoAndThreeInstancesAreMeasured() {
        assertThat(new ScalingScenario().instances()).containsExactly(1, 2, 3);
        assertThat(new ScalingScenario(List.of()).instances()).containsExactly(1, 2, 3);
    }

    @Test
    void theCountsAreMeasuredInTheOrderGiven() {
        assertThat(new ScalingScenario(List.of(3, 1)).instances()).containsExactly(3, 1);
    }

    @Test
    void aCountBeyondThePartitionsOrBelowOneIsRefused() {
        assertThatThrownBy(() -> new ScalingScenario(List.of(1, 13)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("13").hasMessageContaining("--s9-instances").hasMessageContaining("12");
        assertThatThrownBy(() -> new ScalingScenario(List.of(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void aCountGivenTwiceIsRefused() {
        assertThatThrownBy(() -> new ScalingScenario(List.of(2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void theRatioIsTurnsPerSecondOverOneInstancesAndCpuIsPerTurn() {
        // Given one instance at 1,000 turns/s and two at 1,500 turns/s, 10,000 turns each
        ScalingScenario.Run one = new ScalingScenario.Run(1_000, 10_000, List.of(8 * S), 2 * S, 5 * S);
        ScalingScenario.Run two = new ScalingScenario.Run(1_500, 10_000, List.of(5 * S, 6 * S), 3 * S, 4 * S);
        Map<Integer, ScalingScenario.Run> runs = Map.of(1, one, 2, two);

        // When
        OptionalDouble ratio = ScalingScenario.ratioToOne(runs, 2);

        // Then
        assertThat(ratio.getAsDouble()).isCloseTo(1.5, within(1e-9));
        assertThat(ScalingScenario.ratioToOne(runs, 1).getAsDouble()).isEqualTo(1.0);
        assertThat(two.processorCpuMillisPerTurn()).isCloseTo(1.1, within(1e-9));
        assertThat(two.workerCpuMillisPerTurn()).isCloseTo(0.3, within(1e-9));
        assertThat(one.benchCpuMillisPerTurn()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void withoutOneInstanceThereIsNoRatio() {
        ScalingScenario.Run two = new ScalingScenario.Run(1_500, 10_000, List.of(S, S), S, S);

        assertThat(ScalingScenario.ratioToOne(Map.of(2, two), 2)).isEmpty();
        assertThat(ScalingScenario.lines(List.of(2, 3), Map.of(2, two)).stream().map(Measurement::key))
                .noneMatch(key -> key.endsWith(".ratio"));
    }

    @Test
    void everyProcessorJvmHasItsCpuLine() {
        // Given a run with two processors
        ScalingScenario.Run two = new ScalingScenario.Run(1_500, 10_000, List.of(5 * S, 6 * S), 3 * S, 4 * S);

        // When the lines are made
        List<Measurement> lines = ScalingScenario.lines(List.of(1, 2), Map.of(2, two));

        // Then the measured count has its values, the unmeasured one planned lines without values
        assertThat(lines).filteredOn(l -> l.key().equals("n2.processor1.cpu")).singleElement()
                .satisfies(l -> assertThat(l.value().getAsDouble()).isEqualTo(6.0));
        assertThat(lines).filteredOn(l -> l.key().equals("n1.throughput")).singleElement()
                .satisfies(l -> assertThat(l.value()).isEmpty());
        assertThat(lines).extracting(Measurement::key).contains("n1.processor0.cpu", "n2.processor0.cpu", "n2.ratio")
                .doesNotContain("n1.processor1.cpu", "n2.processor2.cpu");
    }
}
