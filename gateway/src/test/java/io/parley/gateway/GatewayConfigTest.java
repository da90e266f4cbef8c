package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    private static final String BASE = """
            kafka: {bootstrap.servers: "localhost:9092"}
            schemaRegistry: {schema.registry.url: "mock://config-test"}
            tokens: {hs256Secret: "a-secret-that-is-at-least-32-bytes-long"}
            conversationKey: "conversation-key-of-at-least-32-bytes"
            """;

    @Test
    void defaultsFollowTheChannel() {
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", BASE + "channel: kiosk\nlimits: {replayWindow: 5m}\n");
        assertThat(config.replyTopic()).isEqualTo("chat.replies.kiosk");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.tokens().audience()).isEqualTo("parley-web");
        assertThat(config.limits().replayWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.demoUsers()).isEmpty();
        assertThat(config.limits().bufferedReplies()).isEqualTo(100_000);
    }

    @Test
    void theReconnectBufferIsBoundedInAllAndABadBoundNamesTheEntry() {
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", BASE + "limits: {bufferedReplies: 20000}\n");
        assertThat(config.limits().bufferedReplies()).isEqualTo(20_000);
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "limits: {bufferedReplies: 0}\n"))
                .hasMessageStartingWith("gateway.yaml: limits.bufferedReplies: 0 is not accepted");
    }

    @Test
    void theAuditSectionPseudonymisesLikeTheProcessorsAndItsMistakesNameTheKeyNeverTheSecret() {
        // Given no audit section, users are named in clear
        assertThat(GatewayConfig.parse("gateway.yaml", BASE).audit().users().of("alice")).isEqualTo("alice");
        // With the processor's keys, they are referred to by the keyed hash the processor gives
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", BASE
                + "audit: {pseudonymizeUsers: true, pseudonymKey: \"audit-key-of-16-chars\"}\n");
        assertThat(config.audit().users().of("alice")).isEqualTo(io.parley.runtime.audit.UserReferences
                .pseudonymised(io.parley.runtime.Secret.of("audit-key-of-16-chars")).of("alice")).isNotEqualTo("alice");
        // Mistakes stop the start naming file, entry and key, without the key's value
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "audit: {pseudonymizeUsers: true}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml: audit.pseudonymKey: is required when pseudonymizeUsers is true");
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE
                + "audit: {pseudonymizeUsers: true, pseudonymKey: \"short-secret\"}\n"))
                .hasMessageStartingWith("gateway.yaml: audit.pseudonymKey: is too short").hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "audit: {pseudonymise: true}\n"))
                .hasMessageContaining("audit.pseudonymise");
    }

    @Test
    void theDockerComposeConfigurationLoads() {
        GatewayConfig config = GatewayConfig.read(java.nio.file.Path.of("..", "deploy", "gateway.yaml"));
        assertThat(config.port()).isEqualTo(8480);
        assertThat(config.replyTopic()).isEqualTo("chat.replies.web");
        assertThat(config.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
        assertThat(config.demoUsers()).containsExactly("alice", "bob");
    }

    @Test
    void theConsoleReadsConnectorHealthFromTheListedWorkers() {
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", BASE + """
                console: {adminToken: "a-console-token-16+", workers: ["http://worker-1:9101/metrics"], healthInterval: 30s}
                admin: {host: 0.0.0.0, port: 9200}
                """);
        assertThat(config.connectorHealth().workers()).containsExactly(java.net.URI.create("http://worker-1:9101/metrics"));
        assertThat(config.connectorHealth().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.admin()).isEqualTo(new GatewayConfig.Admin("0.0.0.0", 9200));
        assertThat(GatewayConfig.parse("gateway.yaml", BASE).connectorHealth().workers()).isEmpty();
        assertThat(GatewayConfig.parse("gateway.yaml", BASE).admin()).isEqualTo(new GatewayConfig.Admin("127.0.0.1", 9103));

        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "console: {workers: [\"worker-1:9101\"]}\n"))
                .hasMessageStartingWith("gateway.yaml: console.workers: worker-1:9101 is not accepted");
        assertThat(GatewayConfig.parse("gateway.yaml", BASE + "console: {flowGraph: \"http://processor:8085/flows/graph.svg\"}\n")
                .flowGraph()).isEqualTo(java.net.URI.create("http://processor:8085/flows/graph.svg"));
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "console: {flowGraph: \"file:/etc/passwd\"}\n"))
                .hasMessageStartingWith("gateway.yaml: console.flowGraph: file:/etc/passwd is not accepted");
    }

    @Test
    void tracingIsOffByDefaultAndReadFromItsSection() {
        assertThat(GatewayConfig.parse("gateway.yaml", BASE).tracing())
                .isEqualTo(io.parley.runtime.tracing.TracingSettings.off("parley-gateway"));

        GatewayConfig traced = GatewayConfig.parse("gateway.yaml", BASE + "tracing: {enabled: true, sampleRatio: 0.2}\n");

        assertThat(traced.tracing().enabled()).isTrue();
        assertThat(traced.tracing().sampleRatio()).isEqualTo(0.2);
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "tracing: {sampleRatio: -1}\n"))
                .hasMessage("gateway.yaml: tracing.sampleRatio: -1.0 is out of range; allowed are 0.0 to 1.0");
    }

    @Test
    void badValueNamesTheFileAndTheEntry() {
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "limits: {messageBurst: 0}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gateway.yaml: limits.messageBurst: 0 is not accepted");
    }

    @Test
    void unknownKeyIsRefused() {
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE + "limits: {maxMesageChars: 10}\n"))
                .hasMessageStartingWith("gateway.yaml: limits.maxMesageChars: unknown key");
    }

    @Test
    void shortSecretAndMissingKeysAreRefused() {
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", BASE.replace("a-secret-that-is-at-least-32-bytes-long", "short")))
                .hasMessage("gateway.yaml: tokens.hs256Secret: too short; HS256 needs at least 32 bytes");
        assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", "kafka: {}\n"))
                .hasMessageContaining("kafka.bootstrap.servers: is required");
    }
}
