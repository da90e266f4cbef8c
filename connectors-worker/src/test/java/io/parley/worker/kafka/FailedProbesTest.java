package io.parley.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When the broker watch calls Kafka unreachable: only after several probes in a row went unanswered. */
class FailedProbesTest {

    private final BrokerWatch.FailedProbes probes = new BrokerWatch.FailedProbes(3);

    @Test
    void oneOrTwoUnansweredProbesAreNotAnOutage() {
        assertThat(probes.reachableAfter(true)).isTrue();
        assertThat(probes.reachableAfter(false)).as("one slow answer of a busy broker").isTrue();
        assertThat(probes.reachableAfter(false)).isTrue();
        assertThat(probes.reachableAfter(true)).isTrue();
        assertThat(probes.reachableAfter(false)).as("the count starts again after an answer").isTrue();
        assertThat(probes.reachableAfter(false)).isTrue();
    }

    @Test
    void theThirdUnansweredProbeInARowBeginsAnOutageAndTheFirstAnswerEndsIt() {
        probes.reachableAfter(false);
        probes.reachableAfter(false);

        assertThat(probes.reachableAfter(false)).isFalse();
        for (int i = 0; i < 1_000; i++) {
            assertThat(probes.reachableAfter(false)).as("a long outage").isFalse();
        }
        assertThat(probes.reachableAfter(true)).isTrue();
        assertThat(probes.reachableAfter(false)).as("a new outage needs three in a row again").isTrue();
    }

    @Test
    void theWatchWaitsForThreeAndALimitBelowOneIsRefused() {
        assertThat(BrokerWatch.FAILED_PROBES_FOR_OUTAGE).isEqualTo(3);
        assertThatThrownBy(() -> new BrokerWatch.FailedProbes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
