package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.access.Role;
import io.parley.topics.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkerConfigTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("worker.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String MINIMAL = """
            kafka: {bootstrap.servers: "kafka:9092"}
            schemaRegistry: {schema.registry.url: "http://registry:8081"}
            connectorFiles: connectors.yaml
            """;

    @Test
    void aFullFileIsRead() throws Exception {
        WorkerConfig config = WorkerConfig.load(write("""
                kafka:
                  bootstrap.servers: kafka:9092
                  security.protocol: SASL_SSL
                schemaRegistry:
                  schema.registry.url: http://registry:8081
                topics:
                  backendRequests: shop.requests
                admin: {host: 0.0.0.0, port: 9200}
                connectorFiles: [connectors/shop.yaml, connectors/db.yaml]
                mode: classic
                groupId: shop-workers
                concurrency: 32
                consumers: 4
                maxResponseBytes: 65536
                shutdownTimeout: 20s
                """));

        assertThat(config.kafka()).containsEntry("bootstrap.servers", "kafka:9092").containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.schemaRegistry()).containsEntry("schema.registry.url", "http://registry:8081");
        assertThat(config.topics().backendRequests()).isEqualTo("shop.requests");
        assertThat(config.topics().backendResponses()).isEqualTo("backend.responses");
        assertThat(config.adminHost()).isEqualTo("0.0.0.0");
        assertThat(config.adminPort()).isEqualTo(9200);
        assertThat(config.connectorSources()).extracting(WorkerConfig.ConnectorSource::file)
                .containsExactly(dir.resolve("connectors/shop.yaml"), dir.resolve("connectors/db.yaml"));
        assertThat(config.mode()).isEqualTo(WorkerMode.CLASSIC);
        assertThat(config.groupId()).isEqualTo("shop-workers");
        assertThat(config.concurrency()).isEqualTo(32);
        assertThat(config.consumers()).isEqualTo(4);
        assertThat(config.maxResponseBytes()).isEqualTo(65536);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void absentSettingsTakeTheirDefaults() throws Exception {
        WorkerConfig config = WorkerConfig.load(write(MINIMAL));

        assertThat(config.topics()).isEqualTo(TopicNames.defaults());
        assertThat(config.mode()).isEqualTo(WorkerMode.SHARE);
        assertThat(config.groupId()).isEqualTo("parley-worker");
        assertThat(config.concurrency()).isEqualTo(256);
        assertThat(config.consumers()).isEqualTo(2);
        assertThat(config.adminEnabled()).isTrue();
        assertThat(config.adminPort()).isEqualTo(9101);
    }

    @Test
    void codeCanOverrideALoadedFile() throws Exception {
        WorkerConfig config = WorkerConfig.load(write(MINIMAL)).toBuilder()
                .kafka(Map.of("bootstrap.servers", "127.0.0.1:39092"))
                .adminPort(0)
                .connectorYaml("inline.yaml", "connectors: []")
                .build();

        assertThat(config.kafka()).containsExactly(Map.entry("bootstrap.servers", "127.0.0.1:39092"));
        assertThat(config.adminPort()).isZero();
        assertThat(config.connectorSources()).hasSize(2);
    }

    @Test
    void connectorReloadIsOffByDefaultAndReadFromItsSection() throws Exception {
        assertThat(WorkerConfig.load(write(MINIMAL)).connectorReload())
                .isEqualTo(new WorkerConfig.ConnectorReload(false, Duration.ofSeconds(2)));

        WorkerConfig config = WorkerConfig.load(write(MINIMAL + "connectorReload: {enabled: true, interval: 500ms}\n"));

        assertThat(config.connectorReload()).isEqualTo(new WorkerConfig.ConnectorReload(true, Duration.ofMillis(500)));
    }

    @Test
    void connectorReloadMistakesNameTheFileTheEntryAndTheField() throws Exception {
        String file = dir.resolve("worker.yaml").toString();
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "connectorReload: {enabled: true, every: 2s}\n")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(file + ": connectorReload.every: unknown key");
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "connectorReload: {enabled: yes please}\n")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(file + ": connectorReload.enabled");
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "connectorReload: {interval: often}\n")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(file + ": connectorReload.interval");
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "connectorReload: {enabled: true, interval: 10ms}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": connectorReload.interval: 10ms is out of range; allowed are 100ms to 1h");
        assertThatThrownBy(() -> WorkerConfig.builder().kafkaProperty("bootstrap.servers", "k:9092")
                .schemaRegistry(Map.of("schema.registry.url", "mock://x")).connectorYaml("inline.yaml", "connectors: []")
                .connectorReload(new WorkerConfig.ConnectorReload(true, Duration.ofSeconds(1))).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("code: connectorReload.enabled: needs connector files (definitions given as text never change)");
    }

    @Test
    void theAccessSectionGivesTokensRolesWithSecretsFromFiles() throws Exception {
        // Given a viewer token kept in a properties file and metrics closed
        Path secrets = Files.writeString(dir.resolve("tokens.properties"), "prometheus=scrape-token-0123456789\n");
        WorkerConfig config = WorkerConfig.load(write(MINIMAL + """
                access:
                  openMetrics: false
                  tokens:
                    - {name: prometheus, token: "${file:%s:prometheus}", role: viewer}
                """.formatted(secrets)));
        // Then the worker's admin endpoint is configured with it, and the secret stays hidden
        assertThat(config.access().openMetrics()).isFalse();
        assertThat(config.access().openHealth()).isTrue();
        assertThat(config.access().tokens()).singleElement().satisfies(token -> {
            assertThat(token.name()).isEqualTo("prometheus");
            assertThat(token.role()).isEqualTo(Role.VIEWER);
            assertThat(token.token().reveal()).isEqualTo("scrape-token-0123456789");
            assertThat(token.toString()).doesNotContain("scrape-token");
        });
        assertThat(WorkerConfig.load(write(MINIMAL)).access().configured()).isFalse();
        String file = dir.resolve("worker.yaml").toString();
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "access: {tokens: [{name: a, token: 0123456789abcdefg, role: boss}]}\n")))
                .hasMessage(file + ": access.tokens[a].role: 'boss' is not a role; use viewer or operator");
    }

    @Test
    void mistakesNameTheFileAndTheKey() throws Exception {
        String file = dir.resolve("worker.yaml").toString();
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "mdoe: share\n")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(file + ": mdoe: unknown key");
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "mode: queue\n")))
                .hasMessageStartingWith(file + ": mode: 'queue' is not one of [share, classic]");
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "topics: {backendRequest: x}\n")))
                .hasMessageStartingWith(file + ": topics: Unknown topic key 'backendRequest'");
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "admin: {port: 70000}\n")))
                .hasMessageStartingWith(file + ": admin.port: 70000 is out of range");
        assertThatThrownBy(() -> WorkerConfig.load(write(MINIMAL + "concurrency: 2\nconsumers: 3\n")))
                .hasMessageStartingWith(file + ": consumers: must be from 1 to concurrency (2)");
        assertThatThrownBy(() -> WorkerConfig.load(write("schemaRegistry: {schema.registry.url: mock://x}\nconnectorFiles: c.yaml\n")))
                .hasMessageStartingWith(file + ": kafka.bootstrap.servers: is required");
        assertThatThrownBy(() -> WorkerConfig.load(dir.resolve("missing.yaml")))
                .hasMessageEndingWith("missing.yaml: the file does not exist");
    }

    @Test
    void theEntryPointReportsAConfigurationMistakeAndExitsWithoutAStackTrace() throws Exception {
        Path file = write(MINIMAL + "mdoe: share\n");

        int exitCode = new CommandLine(new WorkerMain()).execute("--config", file.toString());

        assertThat(exitCode).isEqualTo(2);
    }

    @Test
    void tracingIsOffByDefaultAndReadFromItsSection() throws Exception {
        assertThat(WorkerConfig.load(write(MINIMAL)).tracing())
                .isEqualTo(io.parley.runtime.tracing.TracingSettings.off("parley-worker"));

        WorkerConfig traced = WorkerConfig.load(write(MINIMAL + """
                tracing: {enabled: true, otlpEndpoint: "http://tempo:4318", sampleRatio: 0.5}
                """));

        assertThat(traced.tracing().enabled()).isTrue();
        assertThat(traced.tracing().otlpEndpoint()).hasToString("http://tempo:4318");
        assertThat(traced.tracing().sampleRatio()).isEqualTo(0.5);
        assertThat(traced.tracing().serviceName()).isEqualTo("parley-worker");
    }

    @Test
    void aBadTracingValueNamesTheFileTheEntryAndTheField() throws Exception {
        Path file = write(MINIMAL + "tracing: {sampleRatio: 2}\n");

        assertThatThrownBy(() -> WorkerConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": tracing.sampleRatio: 2.0 is out of range; allowed are 0.0 to 1.0");
    }
}
