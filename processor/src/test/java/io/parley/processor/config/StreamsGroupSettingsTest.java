package io.parley.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker-side group configurations the processor sets under the streams rebalance protocol. */
class StreamsGroupSettingsTest {

    @Test
    void underClassicNothingIsSetOnTheBroker() {
        assertThat(StreamsGroupSettings.groupConfigs(MembershipSettings.DEFAULTS, Map.of("num.standby.replicas", "1"))).isEmpty();
    }

    @Test
    void underStreamsTheSessionHeartbeatAndStandbysComeFromProcessorYaml() {
        // Given
        MembershipSettings membership = MembershipSettings.DEFAULTS.withSessionTimeout(Duration.ofSeconds(9))
                .withProtocol(MembershipSettings.Protocol.STREAMS);

        // When
        Map<String, String> configs = StreamsGroupSettings.groupConfigs(membership, Map.of("num.standby.replicas", "1"));

        // Then
        assertThat(configs).containsExactlyInAnyOrderEntriesOf(Map.of(
                "streams.session.timeout.ms", "9000",
                "streams.heartbeat.interval.ms", "3000",
                "streams.num.standby.replicas", "1",
                "streams.initial.rebalance.delay.ms", "0"));
    }

    @Test
    void withoutStandbysInTheKafkaSectionTheGroupHasNone() {
        MembershipSettings membership = MembershipSettings.DEFAULTS.withProtocol(MembershipSettings.Protocol.STREAMS);

        assertThat(StreamsGroupSettings.groupConfigs(membership, Map.of())).containsEntry("streams.num.standby.replicas", "0");
    }
}
