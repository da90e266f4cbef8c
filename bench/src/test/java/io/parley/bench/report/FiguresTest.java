package io.parley.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void numbersGetFewerDecimalsAsTheyGrow() {
        assertThat(Figures.number(4.8765)).isEqualTo("4.88");
        assertThat(Figures.number(48.765)).isEqualTo("48.8");
        assertThat(Figures.number(48_765.4)).isEqualTo("48,765");
    }

    @Test
    void targetsShowRoundThresholdsWithoutDecimals() {
        assertThat(Figures.target(Target.atLeast(5_000), "turns/s")).isEqualTo("≥ 5,000 turns/s");
        assertThat(Figures.target(Target.atMost(50), "ms")).isEqualTo("≤ 50 ms");
        assertThat(Figures.target(Target.atLeast(100), "×")).isEqualTo("≥ 100×");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(Figures.duration(Duration.ofMillis(200))).isEqualTo("200 ms");
        assertThat(Figures.duration(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Figures.duration(Duration.ofMillis(1_500))).isEqualTo("1.50 s");
    }

    @Test
    void sharesArePercentagesWithOneDecimal() {
        assertThat(Figures.percent(0.053)).isEqualTo("5.3 %");
        assertThat(Figures.percent(0.2)).isEqualTo("20.0 %");
    }
}
