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

/** The connectorCatalog: section: whether a start without a catalog stops, and how long the catalog is read. */
class ConnectorCatalogSettingsTest {

    private static final String MINIMAL = """
            kafka:
              bootstrap.servers: localhost:9092
            schemaRegistry:
              schema.registry.url: mock://catalog-settings-test
            flows:
              - classpath:flows/demo-shop.yaml
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("processor.yaml"), yaml);
    }

    @Test
    void withoutTheSectionAMissingCatalogOnlyWarnsAndIsReadForTenSeconds() throws IOException {
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL));

        assertThat(config.connectorCatalog()).isEqualTo(ConnectorCatalogSettings.DEFAULTS);
        assertThat(config.connectorCatalog().require()).isFalse();
        assertThat(config.connectorCatalog().maxWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.topics().connectorCatalog()).isEqualTo("parley.connectors");
    }

    @Test
    void theSectionAndTheTopicNameAreRead() throws IOException {
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL + """
                topics: {connectorCatalog: acme.connectors}
                connectorCatalog: {require: true, wait: 2s}
                """));

        assertThat(config.connectorCatalog().require()).isTrue();
        assertThat(config.connectorCatalog().maxWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.topics().connectorCatalog()).isEqualTo("acme.connectors");
        assertThat(config.toBuilder().build().connectorCatalog()).isEqualTo(config.connectorCatalog());
    }

    @Test
    void mistakesAreNamedWithFileEntryAndField() {
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "connectorCatalog: {wait: 10m}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.yaml: connectorCatalog.wait: ")
                .hasMessageContaining("allowed are 100ms to 5m");
        assertThatThrownBy(() -> ProcessorConfig.load(write(MINIMAL + "connectorCatalog: {requires: true}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connectorCatalog")
                .hasMessageContaining("requires");
    }
}
