package io.parley.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** processor.yaml's encryption section: off by default, keys through config providers, each mistake named in one line. */
class EncryptionSettingsTest {

    private static final String MINIMAL = """
            kafka:
              bootstrap.servers: localhost:9092
            schemaRegistry:
              schema.registry.url: mock://encryption-config-test
            flows:
              - classpath:flows/demo-shop.yaml
            """;

    private static final String KEY_A = key();
    private static final String KEY_B = key();

    @TempDir
    Path dir;

    @Test
    void encryptionIsOffByDefault() throws IOException {
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL));

        assertThat(config.encryption()).isEqualTo(EncryptionSettings.DEFAULTS);
        assertThat(config.encryption().sealing().sealsNewValues()).isFalse();
    }

    @Test
    void keysComeFromAFileAndTheCurrentOneSeals() throws IOException {
        // Given keys in a properties file, referenced as the other secrets are
        Path keys = dir.resolve("session-keys.properties");
        Files.writeString(keys, "k1=" + KEY_A + "\nk2=" + KEY_B + "\n");

        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL + """
                encryption:
                  enabled: true
                  currentKey: k2
                  keys:
                    k1: ${file:%1$s:k1}
                    k2: ${file:%1$s:k2}
                """.formatted(keys)));

        assertThat(config.encryption().enabled()).isTrue();
        assertThat(config.encryption().currentKey()).contains("k2");
        assertThat(config.encryption().keys()).containsOnlyKeys("k1", "k2");
        assertThat(config.encryption().keys().get("k1").toString()).doesNotContain(KEY_A);
        assertThat(config.encryption().sealing().sealsNewValues()).isTrue();
    }

    @Test
    void keysWithEncryptionOffOnlyOpenValues() throws IOException {
        ProcessorConfig config = ProcessorConfig.load(write(MINIMAL + """
                encryption:
                  enabled: false
                  keys:
                    k1: %s
                """.formatted(KEY_A)));

        assertThat(config.encryption().sealing().sealsNewValues()).isFalse();
    }

    @Test
    void enabledWithoutACurrentKeyIsRefused() throws IOException {
        Path file = write(MINIMAL + """
                encryption:
                  enabled: true
                  keys:
                    k1: %s
                """.formatted(KEY_A));

        assertThatThrownBy(() -> ProcessorConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.yaml: encryption.currentKey: is required when enabled is true");
    }

    @Test
    void aCurrentKeyThatIsNotListedIsRefused() throws IOException {
        Path file = write(MINIMAL + """
                encryption:
                  enabled: true
                  currentKey: k9
                  keys:
                    k1: %s
                """.formatted(KEY_A));

        assertThatThrownBy(() -> ProcessorConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage("processor.yaml: encryption.currentKey: 'k9' is not one of the keys listed under keys [k1]");
    }

    @Test
    void aKeyOfTheWrongLengthIsRefusedWithoutShowingIt() throws IOException {
        String shortKey = Base64.getEncoder().encodeToString(new byte[10]);
        Path file = write(MINIMAL + """
                encryption:
                  keys:
                    k1: %s
                """.formatted(shortKey));

        assertThatThrownBy(() -> ProcessorConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.yaml: encryption.keys.k1: is 10 bytes long; an AES key is 16, 24 or 32 bytes")
                .message().doesNotContain(shortKey);
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutShowingIt() throws IOException {
        Path file = write(MINIMAL + """
                encryption:
                  keys:
                    k1: "not base64 at all!"
                """);

        assertThatThrownBy(() -> ProcessorConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.yaml: encryption.keys.k1: is not base64")
                .message().doesNotContain("not base64 at all!");
    }

    @Test
    void anUnknownKeyInTheSectionIsRefused() throws IOException {
        Path file = write(MINIMAL + """
                encryption:
                  enable: true
                """);

        assertThatThrownBy(() -> ProcessorConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("processor.yaml: encryption.enable: unknown key");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("processor.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
