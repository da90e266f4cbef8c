package io.parley.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.ConfigVariables;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private static ConfigSection parse(String yaml) {
        return ConfigSection.parse("worker.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void clientPropertiesPassThroughAsWritten() {
        // Given a kafka section with security settings
        ConfigSection root = parse("""
                kafka:
                  bootstrap.servers: k1:9093,k2:9093
                  security.protocol: sasl_ssl
                  sasl.mechanism: SCRAM-SHA-512
                  sasl.jaas.config: "org.apache.kafka.common.security.scram.ScramLoginModule required password=\\"pw-123\\";"
                  linger.ms: 5
                """);

        // When it is read
        KafkaSettings kafka = KafkaSettings.read(root, "kafka").requireBootstrapServers(root, "kafka");

        // Then the properties are as written, the protocol is known, and credentials never show
        assertThat(kafka.clientProperties()).containsEntry("bootstrap.servers", "k1:9093,k2:9093").containsEntry("linger.ms", "5");
        assertThat(kafka.securityProtocol()).isEqualTo(SecurityProtocol.SASL_SSL);
        assertThat(kafka.encrypted()).isTrue();
        assertThat(kafka.toString()).contains("k1:9093").doesNotContain("pw-123");
    }

    @Test
    void aMissingClusterOrAnUnknownProtocolNamesTheEntry() {
        // Given sections without bootstrap.servers, or with a misspelt protocol
        ConfigSection none = parse("kafka: {linger.ms: 5}\n");
        ConfigSection misspelt = parse("kafka: {bootstrap.servers: k:9092, security.protocol: TLS}\n");

        // Then each error names the file and the property
        assertThatThrownBy(() -> KafkaSettings.read(none, "kafka").requireBootstrapServers(none, "kafka"))
                .hasMessageStartingWith("worker.yaml: kafka.bootstrap.servers: is required");
        assertThatThrownBy(() -> KafkaSettings.read(misspelt, "kafka"))
                .hasMessageStartingWith("worker.yaml: kafka.security.protocol: 'TLS' is not one of");
        assertThat(KafkaSettings.read(parse("kafka: {security.protocol: \"${env:PROTOCOL}\"}\n"), "kafka").properties())
                .containsEntry("security.protocol", "${env:PROTOCOL}");
    }

    @Test
    void referencesAreResolvedWhenTheServiceAsksForIt() {
        // Given a reference to an environment variable that is not set
        ConfigSection root = parse("kafka: {bootstrap.servers: \"${env:PARLEY_TEST_NEVER_SET_SERVERS}\"}\n");

        // Then resolving it fails naming the property, and reading as written keeps it
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            assertThatThrownBy(() -> KafkaSettings.read(root, "kafka", variables))
                    .hasMessageStartingWith("worker.yaml: kafka.bootstrap.servers");
        }
        assertThat(KafkaSettings.read(root, "kafka").properties()).containsEntry("bootstrap.servers",
                "${env:PARLEY_TEST_NEVER_SET_SERVERS}");
    }
}
