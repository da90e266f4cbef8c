package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.bench.report.Measurement;
import io.parley.bench.load.NanoTimer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
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
                .anyMatch(key -> key.startsWith("rolling.leave."))
                .anyMatch(key -> key.startsWith("rolling.classdata."));
    }

    @Test
    void theRollingRestartWithClassDataKeepsTwoProcessorsInTheGroupAndSaysWhatClassDataTheyUse() {
        FailoverScenario scenario = new FailoverScenario(Set.of("rolling.classdata"), Map.of());

        assertThat(scenario.planned(null)).filteredOn(line -> line.key().equals("rolling.classdata.othersLongestWait"))
                .singleElement().satisfies(line -> assertThat(line.label()).contains("class data"));
        assertThat(scenario.configuration(context("quick"))).containsKey("rolling.classdata.classData")
                .containsEntry("rolling.classdata.membership", "static (membership.instanceId per instance)")
                .containsEntry("rolling.classdata.leaveGroupOnShutdown", false)
                .containsEntry("rolling.classdata.num.standby.replicas", 1);
    }

    @Test
    void theRestartWithClassDataIsMeasuredAgainstTheSameTargetAndSaysWhatClassDataItUses() {
        FailoverScenario scenario = new FailoverScenario(Set.of("restart.classdata"), Map.of());

        assertThat(scenario.planned(null)).filteredOn(line -> line.key().equals("restart.classdata.recovery"))
                .singleElement().satisfies(line -> assertThat(line.target()).isPresent());
        assertThat(scenario.configuration(context("quick"))).containsKey("restart.classdata.classData")
                .containsEntry("restart.classdata.membership", "static (membership.instanceId per instance)");
        assertThat(new FailoverScenario(Set.of("restart"), Map.of()).configuration(context("quick")))
                .doesNotContainKey("restart.classData");
    }

    @Test
    void theSeededSessionsCanBeSetAndMustBePositive() {
        // Given --s6-sessions 100000
        FailoverScenario scenario = new FailoverScenario(Set.of("takeover.standby1"), Map.of(), OptionalInt.of(100_000));

        // Then the full and quick runs seed that many, and the new lines are planned
        assertThat(scenario.sessions(context("full"))).isEqualTo(100_000);
        assertThat(scenario.sessions(context("quick"))).isEqualTo(100_000);
        assertThat(scenario.planned(null).stream().map(Measurement::key).toList())
                .contains("takeover.standby1.inFlight", "takeover.standby1.fallbacksAfter", "takeover.standby1.restoredRecords",
                        "takeover.standby1.seedStored");
        assertThatThrownBy(() -> new FailoverScenario(Set.of(), Map.of(), OptionalInt.of(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--s6-sessions");
    }

    @Test
    void theReportSaysHowManyStreamThreadsItsProcessorsRun() {
        // Given no --stream-threads: the processors run Kafka Streams' one
        assertThat(new FailoverScenario().configuration(context("quick"))).containsEntry("stream.threads", "1 per processor");
    }

    @Test
    void theTimeAfterRecoveryCanBeLengthenedAndMustNotBeNegative() {
        // Given --s6-after-recovery 120s, to see a hand-back at a probing rebalance
        FailoverScenario scenario = new FailoverScenario().withAfterRecovery(Duration.ofSeconds(120));

        // Then the run's configuration says so, and a negative time is refused
        assertThat(scenario.configuration(context("quick"))).containsEntry("afterRecovery", "120 s");
        assertThat(new FailoverScenario().configuration(context("quick"))).containsEntry("afterRecovery", "30 s");
        assertThatThrownBy(() -> new FailoverScenario().withAfterRecovery(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after recovery");
    }

    @Test
    void withoutASessionCountTheDefaultsStay() {
        FailoverScenario scenario = new FailoverScenario(Set.of(), Map.of());

        assertThat(scenario.sessions(context("full"))).isEqualTo(FailoverScenario.FULL_SESSIONS).isEqualTo(10_000);
        assertThat(scenario.sessions(context("quick"))).isEqualTo(FailoverScenario.QUICK_SESSIONS).isEqualTo(1_000);
    }

    private static ScenarioContext context(String mode) {
        BenchSettings settings = "quick".equals(mode) ? BenchSettings.quick() : BenchSettings.full();
        return new ScenarioContext("test", null, settings, Clock.systemUTC(), NanoTimer.system(), Path.of("unused"));
    }

    @Test
    void anUnknownCaseIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> new FailoverScenario(Set.of("takeover.standby2"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takeover.standby2")
                .hasMessageContaining("takeover.standby1");
    }
}
