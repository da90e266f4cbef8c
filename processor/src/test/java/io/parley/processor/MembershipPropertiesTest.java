package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.MembershipSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the membership: section hands to Kafka Streams. */
class MembershipPropertiesTest {

    @Test
    void anInstanceIdMakesAStaticMemberWithTheConfiguredSession() {
        MembershipSettings membership = MembershipSettings.DEFAULTS.withInstanceId("parley-0").withSessionTimeout(Duration.ofSeconds(9));

        Map<String, Object> props = ProcessorWiring.membershipProperties(membership, Map.of());

        assertThat(props).containsEntry("group.instance.id", "parley-0")
                .containsEntry("session.timeout.ms", 9_000)
                .containsEntry("heartbeat.interval.ms", 3_000);
    }

    @Test
    void withoutAnInstanceIdTheMemberIsDynamicButKeepsTheShortSession() {
        Map<String, Object> props = ProcessorWiring.membershipProperties(MembershipSettings.DEFAULTS, Map.of());

        assertThat(props).doesNotContainKey("group.instance.id").containsEntry("session.timeout.ms", 6_000);
    }

    @Test
    void sessionSettingsInTheKafkaSectionWin() {
        Map<String, Object> props = ProcessorWiring.membershipProperties(MembershipSettings.DEFAULTS,
                Map.of("main.consumer.session.timeout.ms", "20000", "heartbeat.interval.ms", "5000"));

        assertThat(props).doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms");
    }

    @Test
    void underTheStreamsProtocolTheSessionIsLeftToTheGroupConfigs() {
        // Given
        MembershipSettings membership = MembershipSettings.DEFAULTS.withInstanceId("parley-0")
                .withProtocol(MembershipSettings.Protocol.STREAMS);

        // When
        Map<String, Object> props = ProcessorWiring.membershipProperties(membership, Map.of());

        // Then: static membership is kept (Kafka 4.4 clients accept it with group.protocol=streams)
        assertThat(props).containsEntry("group.protocol", "streams").containsEntry("group.instance.id", "parley-0")
                .doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms");
    }
}
