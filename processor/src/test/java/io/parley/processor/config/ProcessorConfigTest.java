package io.parley.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.tracing.TracingSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** processor.yaml: typed settings with defaults; every mistake names the file and the key. */
class ProcessorConfigTest {

    private static final String MINIMAL = """
            kafka:
              bootstrap.servers: localhost:9092
            schemaRegistry:
              schema.registry.url: mock://config-test
            flows:
              - classpath:flows/demo-shop.yaml
            """;

    @TempDir
    Path dir;

    @Test
    void theDocumentedExampleLoads() {
        ProcessorConfig config = ProcessorConfig.load(Path.of("processor.example.yaml"));

        assertThat(config.kafka()).containsEntry("bootstrap.servers", "localhost:9092");
        assertThat(config.replyRoutes().topicFor("iot")).isEqualTo("notifications.iot");
        assertThat(config.replyRoutes().topicFor("sms")).isEqualTo("chat.replies");
        assertThat(config.conversation()).isEqualTo(ConversationSettings.DEFAULTS);
        assertThat(config.rocksDb()).isEqualTo(RocksDbSettings.DEFAULTS);
        assertThat(config.admin()).isEqualTo(AdminSettings.DEFAULTS);
    }

    @Test
    void minimalFileGetsTheDefaults() throws IOException {
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL));

        assertThat(config.applicationId()).isEqualTo("parley-processor");
        assertThat(config.topics().chatEvents()).isEqualTo("chat.events");
        assertThat(config.conversation().deadline()).isEqualTo(Duration.ofSeconds(8));
        assertThat(config.audit().pseudonymizeUsers()).isFalse();
        assertThat(config.admin().sessionToken()).isEmpty();
    }

    @Test
    void relativeFlowPathsAreResolvedAgainstTheConfigurationFile() throws IOException {
        Files.writeString(dir.resolve("my-flows.yaml"), "intents: []\n");
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL.replace("classpath:flows/demo-shop.yaml", "my-flows.yaml")));

        assertThat(config.flows()).singleElement()
                .satisfies(source -> assertThat(source.label()).isEqualTo(dir.resolve("my-flows.yaml").toString()));
    }

    @Test
    void flowsFromTheTopicNameTheirSetAndKeepTheDefaultsUnlessGiven() throws IOException {
        // Given flows: as a section with source: topic
        String topic = MINIMAL.replace("""
                flows:
                  - classpath:flows/demo-shop.yaml
                """, """
                flows:
                  source: topic
                  set: shop
                  wait: 5s
                """);

        // When it is read
        ProcessorConfig config = ProcessorConfig.load(write(topic));

        // Then the flows come from the topic's set, with no files, the given wait and the default versions kept
        assertThat(config.flowSettings().fromTopic()).isTrue();
        assertThat(config.flowSettings().set()).contains("shop");
        assertThat(config.flowSettings().maxWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.flowSettings().keepVersions()).isEqualTo(5);
        assertThat(config.flows()).isEmpty();
        // and a plain list still means files
        assertThat(ProcessorConfig.load(write(MINIMAL)).flowSettings()).isEqualTo(FlowSettings.FILES);
    }

    @Test
    void flowsSectionMistakesNameTheKey() {
        String section = """
                kafka:
                  bootstrap.servers: localhost:9092
                schemaRegistry:
                  schema.registry.url: mock://config-test
                flows:
                %s
                """;
        assertThatThrownBy(() -> ProcessorConfig.load(write(section.formatted("  source: topic"))))
                .hasMessageContaining("flows.set: is required with source: topic");
        assertThatThrownBy(() -> ProcessorConfig.load(write(section.formatted("  source: files"))))
                .hasMessageContaining("flows.files: is required with source: files");
        assertThatThrownBy(() -> ProcessorConfig.load(write(section.formatted("  source: topic\n  set: shop\n  wait: 1h"))))
                .hasMessageContaining("flows.wait: PT1H is out of range; allowed are 1s to 10m");
        assertThatThrownBy(() -> ProcessorConfig.load(write(section.formatted("  source: topic\n  set: shop\n  sett: x"))))
                .hasMessageContaining("flows.sett: unknown key");
    }

    @Test
    void secretsAreResolvedThroughConfigProviders() throws IOException {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "token=s3cr3t-admin-token-0123456789\nkey=an-audit-key-0123456789\n");
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL + """
                admin:
                  sessionToken: ${file:%1$s:token}
                audit:
                  pseudonymizeUsers: true
                  pseudonymKey: ${file:%1$s:key}
                """.formatted(secrets)));

        assertThat(config.admin().sessionToken()).hasValueSatisfying(token -> {
            assertThat(token.reveal()).isEqualTo("s3cr3t-admin-token-0123456789");
            assertThat(token.toString()).doesNotContain("s3cr3t");
        });
        assertThat(config.audit().pseudonymKey()).map(k -> k.reveal()).contains("an-audit-key-0123456789");
    }

    @Test
    void telemetryRulesAreOffByDefaultAndARelativeRulesPathIsResolvedAgainstTheFile() throws IOException {
        assertThat(ProcessorConfig.load(write(MINIMAL)).telemetry().rules()).isEmpty();

        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL + "telemetry:\n  rules: my-rules.yaml\n"));

        assertThat(config.telemetry().rules()).hasValueSatisfying(
                source -> assertThat(source.label()).isEqualTo(dir.resolve("my-rules.yaml").toString()));
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "telemetry:\n  rule: my-rules.yaml\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.yaml: telemetry.rule: unknown key");
    }

    @Test
    void unknownKeyIsNamed() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "conversation:\n  deadLine: 5s\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processor.yaml: conversation.deadLine: unknown key");
    }

    @Test
    void badDurationIsNamedWithItsValue() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "conversation:\n  sessionTtl: soon\n")))
                .hasMessageContaining("processor.yaml: conversation.sessionTtl")
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void tracingIsOffUnlessTurnedOnInItsSection() throws IOException {
        assertThat(ProcessorConfig.load(write(MINIMAL)).tracing()).isEqualTo(TracingSettings.off("parley-processor"));

        ProcessorConfig traced = ProcessorConfig.load(write(MINIMAL + """
                tracing:
                  enabled: true
                  otlpEndpoint: http://otel-collector:4318
                  sampleRatio: 0.1
                  serviceName: shop-processor
                """));

        assertThat(traced.tracing()).isEqualTo(new TracingSettings(true, URI.create("http://otel-collector:4318"), 0.1, "shop-processor"));
    }

    @Test
    void aBadTracingValueIsNamedWithFileEntryAndField() {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "tracing:\n  otlpEndpoint: collector:4318\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.yaml: tracing.otlpEndpoint: is not an http(s) URL");
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "tracing:\n  sampleRate: 0.5\n")))
                .hasMessageStartingWith("processor.yaml: tracing.sampleRate: unknown key");
    }

    @Test
    void theAuditModeIsReadAndABadOneIsNamed() throws IOException {
        assertThat(ProcessorConfig.load(write(MINIMAL)).audit().mode()).isEqualTo(io.parley.processor.audit.AuditMode.TURN);
        ProcessorConfig detailed = ProcessorConfig.load(write(MINIMAL + "audit:\n  mode: detailed\n  maxTurnSteps: 8\n"));
        assertThat(detailed.audit().mode()).isEqualTo(io.parley.processor.audit.AuditMode.DETAILED);
        assertThat(detailed.audit().maxTurnSteps()).isEqualTo(8);
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "audit:\n  mode: verbose\n")))
                .hasMessageStartingWith("processor.yaml: audit.mode: 'verbose' is not one of [turn, detailed]");
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "audit:\n  maxTurnSteps: 0\n")))
                .hasMessageStartingWith("processor.yaml: audit.maxTurnSteps:");
    }

    @Test
    void pseudonymisationWithoutAKeyIsRefused() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "audit:\n  pseudonymizeUsers: true\n")))
                .hasMessageContaining("processor.yaml: audit.pseudonymKey: is required");
    }

    @Test
    void missingFlowsAreNamed() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL.replace("flows:\n  - classpath:flows/demo-shop.yaml\n", ""))))
                .hasMessageContaining("processor.yaml: flows: is required");
    }

    @Test
    void unknownTopicKeyIsNamed() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "topics:\n  chatEvent: x\n")))
                .hasMessageContaining("processor.yaml: topics")
                .hasMessageContaining("chatEvent");
    }

    @Test
    void invalidReplyTopicIsNamed() throws IOException {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "replies:\n  routes:\n    web: 'bad topic!'\n")))
                .hasMessageContaining("processor.yaml")
                .hasMessageContaining("replies.routes.web");
    }

    @Test
    void builderOverridesWhatEmbeddersNeed() throws IOException {
        ProcessorConfig loaded = ProcessorConfig.load(write(MINIMAL));

        ProcessorConfig embedded = loaded.toBuilder()
                .kafka(Map.of("bootstrap.servers", "127.0.0.1:39092"))
                .schemaRegistry("schema.registry.url", "mock://local")
                .adminPort(0)
                .build();

        assertThat(embedded.kafka()).containsEntry("bootstrap.servers", "127.0.0.1:39092");
        assertThat(embedded.schemaRegistry()).containsEntry("schema.registry.url", "mock://local");
        assertThat(embedded.admin().port()).isZero();
        assertThat(embedded.flows()).isEqualTo(loaded.flows());
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("processor.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void noChannelSharesConversationsUnlessItSaysSo() throws IOException {
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL + """
                channels:
                  agent-desk:
                    sharedConversations: true
                  web:
                    sharedConversations: false
                """));

        assertThat(config.channels().sharesConversations("agent-desk")).isTrue();
        assertThat(config.channels().sharesConversations("web")).isFalse();
        assertThat(config.channels().sharesConversations("sms")).isFalse();
        assertThat(ProcessorConfig.load(write(MINIMAL)).channels()).isEqualTo(ChannelSettings.DEFAULTS);
    }

    @Test
    void aMistypedChannelKeyIsNamed() {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "channels:\n  agent-desk:\n    sharedConversation: true\n")))
                .hasMessageContaining("processor.yaml: channels.agent-desk.sharedConversation: unknown key");
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "channels:\n  agent-desk:\n    sharedConversations: maybe\n")))
                .hasMessageContaining("processor.yaml: channels.agent-desk.sharedConversations");
    }
}
