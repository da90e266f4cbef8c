package io.parley.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigVariablesTest {

    private final ConfigVariables variables = ConfigVariables.withStandardProviders();

    @Test
    void resolvesEnvironmentVariables() {
        // PATH is set in every environment the tests run in.
        assertThat(variables.resolve("worker.yaml: auth.token", "${env:PATH}")).isEqualTo(System.getenv("PATH"));
    }

    @Test
    void resolvesKeysOfPropertiesFilesInsideLongerValues(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "apiKey=s3cr3t\n");

        String value = variables.resolve("connectors.yaml: shop-api.auth.value", "Key ${file:" + secrets + ":apiKey}");

        assertThat(value).isEqualTo("Key s3cr3t");
    }

    @Test
    void aSecretFileLosesTheOneLineBreakItsEditorAddedAndNothingElse(@TempDir Path dir) throws Exception {
        // Kubernetes secret volumes, echo and most editors end a file with a line break
        Files.writeString(dir.resolve("token"), "s3cr3t\n");
        Files.writeString(dir.resolve("windows"), "s3cr3t\r\n");
        Files.writeString(dir.resolve("two-lines"), "s3cr3t\n\n");
        Files.writeString(dir.resolve("inner"), "s3\ncr3t");

        assertThat(variables.resolve("w", "${directory:" + dir + ":token}")).isEqualTo("s3cr3t");
        assertThat(variables.resolve("w", "Bearer ${directory:" + dir + ":windows}!")).isEqualTo("Bearer s3cr3t!");
        assertThat(variables.resolve("w", "${directory:" + dir + ":two-lines}")).isEqualTo("s3cr3t\n");
        assertThat(variables.resolve("w", "${directory:" + dir + ":inner}")).isEqualTo("s3\ncr3t");
    }

    @Test
    void leavesValuesWithoutReferencesAlone() {
        assertThat(variables.resolve("x", "plain $value {not} a reference")).isEqualTo("plain $value {not} a reference");
    }

    @Test
    void anUnknownProviderIsAConfigErrorNamingTheSetting() {
        assertThatThrownBy(() -> variables.resolve("processor.yaml: admin.token", "${vault:secret/x:token}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processor.yaml: admin.token")
                .hasMessageContaining("vault");
    }

    @Test
    void aMissingVariableIsAConfigErrorNamingTheSetting() {
        assertThatThrownBy(() -> variables.resolve("processor.yaml: admin.token", "${env:PARLEY_SURELY_UNSET_VARIABLE_42}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processor.yaml: admin.token");
    }

    @Test
    void secretsHideThemselvesWhenPrinted(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("s.properties");
        Files.writeString(secrets, "token=canary-7f3a\n");

        Secret secret = variables.resolveSecret("admin.token", "${file:" + secrets + ":token}");

        assertThat(secret.reveal()).isEqualTo("canary-7f3a");
        assertThat(secret.toString()).doesNotContain("canary");
        assertThat("token is " + secret).doesNotContain("canary");
        assertThat(secret.matches("canary-7f3a")).isTrue();
        assertThat(secret.matches("canary")).isFalse();
    }
}
