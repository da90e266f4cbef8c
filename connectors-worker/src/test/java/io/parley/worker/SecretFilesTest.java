package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.http.AuthDefinition;
import io.parley.worker.http.HttpConnectorDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 3: secrets from files as Kubernetes and editors write them, and header values that cannot work. */
class SecretFilesTest {

    @TempDir
    Path secrets;

    private HttpConnectorDefinition read(String connectorExtra) {
        String yaml = """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: https://shop.example
                    %s
                    operations:
                      getOrder: {path: /orders}
                """.formatted(connectorExtra);
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            return (HttpConnectorDefinition) ConnectorFiles.read(List.of(YamlFiles.parse("shop.yaml", yaml)), variables)
                    .get(0).definition();
        }
    }

    @Test
    void aTokenFileEndingWithALineBreakGivesTheTokenWithoutIt() throws Exception {
        Files.writeString(secrets.resolve("token"), "t0k3n\n");

        HttpConnectorDefinition connector = read("auth: {type: bearer, token: \"${directory:" + secrets + ":token}\"}");

        assertThat(((AuthDefinition.Bearer) connector.endpoint().auth()).token().reveal()).isEqualTo("t0k3n");
    }

    @Test
    void aTokenWithALineBreakInsideIsRefusedAtStartNamingFileConnectorAndField() throws Exception {
        Files.writeString(secrets.resolve("token"), "t0k\r\nX-Evil: 1\n");

        assertThatThrownBy(() -> read("auth: {type: bearer, token: \"${directory:" + secrets + ":token}\"}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].auth.token: the value holds a control character")
                .hasMessageNotContaining("t0k")
                .hasMessageNotContaining("Evil");
    }

    @Test
    void anApiKeyOrHeaderFromTheEnvironmentOrAFileWithControlCharactersIsRefused() throws Exception {
        Files.writeString(secrets.resolve("key"), "k\u0000ey");
        Files.writeString(secrets.resolve("tenant"), "acme\nX-Admin: true");

        assertThatThrownBy(() -> read("auth: {type: apiKey, value: \"${directory:" + secrets + ":key}\"}"))
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].auth.value: the value holds a control character");
        assertThatThrownBy(() -> read("headers: {X-Tenant: \"${directory:" + secrets + ":tenant}\"}"))
                .hasMessageStartingWith("shop.yaml: connectors[shop-api].headers.X-Tenant: the value holds a control character");
    }
}
