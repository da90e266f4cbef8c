package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bench.report.Measurement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** S6's case selection ({@code --s6-cases}): one case can be measured alone, and a misspelt one is refused. */
class FailoverCasesTest {

    @Test
    void onlyTheSelectedCasesArePlanned() {
        // Given S6 with only the takeover with a standby selected
        FailoverScenario scenario = new FailoverScenario(Set.of("takeover.standby1"), Map.of());

        // When its lines are planned
        var keys = scenario.planned(null).stream().map(Measurement::key).toList();

        // Then every line is that case's
        assertThat(keys).isNotEmpty().allMatch(key -> key.startsWith("takeover.standby1."));
    }

    @Test
    void withoutASelectionEveryCaseIsPlanned() {
        var keys = new FailoverScenario().planned(null).stream().map(Measurement::key).toList();

        assertThat(keys).anyMatch(key -> key.startsWith("restart.before."))
                .anyMatch(key -> key.startsWith("rolling.leave."));
    }

    @Test
    void anUnknownCaseIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> new FailoverScenario(Set.of("takeover.standby2"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takeover.standby2")
                .hasMessageContaining("takeover.standby1");
    }
}
