package io.parley.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The membership: section: static membership from a configured instance id, the session timeout, leaving on SIGTERM. */
class MembershipSettingsTest {

    private static final String MINIMAL = """
            kafka:
              bootstrap.servers: localhost:9092
            schemaRegistry:
              schema.registry.url: mock://membership-test
            flows:
              - classpath:flows/demo-shop.yaml
            """;

    @TempDir
    Path dir;

    @Test
    void withoutTheSectionAnInstanceIsADynamicMemberWithASixSecondSession() throws IOException {
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL));

        assertThat(config.membership().instanceId()).isEmpty();
        assertThat(config.membership().sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(config.membership().heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.membership().leaveGroupOnShutdown()).isFalse();
    }

    @Test
    void theInstanceIdIsReadThroughConfigProviders() throws IOException {
        Path pod = dir.resolve("pod.properties");
        Files.writeString(pod, "name=parley-processor-2\n");
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL + """
                membership:
                  instanceId: ${file:%s:name}
                  sessionTimeout: 10s
                  leaveGroupOnShutdown: true
                """.formatted(pod)));

        assertThat(config.membership().instanceId()).contains("parley-processor-2");
        assertThat(config.membership().sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.membership().leaveGroupOnShutdown()).isTrue();
    }

    @Test
    void theRebalanceProtocolIsClassicUnlessStreamsIsChosen() throws IOException {
        // Given no protocol, then one set to streams
        ProcessorConfig byDefault = ProcessorConfig.load(write(MINIMAL));
        ProcessorConfig streams = ProcessorConfig.load(write(MINIMAL + "membership:\n  instanceId: parley-0\n  protocol: streams\n"));

        // Then
        assertThat(byDefault.membership().protocol()).isEqualTo(MembershipSettings.Protocol.CLASSIC);
        assertThat(streams.membership().protocol()).isEqualTo(MembershipSettings.Protocol.STREAMS);
        assertThat(streams.membership().instanceId()).contains("parley-0");
    }

    @Test
    void anUnknownProtocolIsNamedWithTheChoices() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "membership:\n  protocol: consumer\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processor.yaml")
                .hasMessageContaining("membership.protocol")
                .hasMessageContaining("classic or streams");
    }

    @Test
    void aSessionTimeoutTheBrokerRefusesIsNamedWithItsRange() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "membership:\n  sessionTimeout: 2s\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processor.yaml")
                .hasMessageContaining("membership.sessionTimeout")
                .hasMessageContaining("6s to 30m");
    }

    @Test
    void anInstanceIdThatIsNotAPodNameIsRefused() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "membership:\n  instanceId: 'two words'\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("membership.instanceId")
                .hasMessageContaining("'two words'");
    }

    @Test
    void anInstanceIdSetTwiceIsRefused() throws IOException {
        String yaml = MINIMAL.replace("bootstrap.servers: localhost:9092",
                "bootstrap.servers: localhost:9092\n  group.instance.id: other") + "membership:\n  instanceId: pod-0\n";

        assertThatThrownBy(() -> ProcessorConfig.load(write(yaml)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processor.yaml")
                .hasMessageContaining("membership.instanceId");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("processor.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
