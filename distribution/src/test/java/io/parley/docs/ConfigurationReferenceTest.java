package io.parley.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.ProcessorConfig;
import io.parley.runtime.config.ConfigKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/configuration.md is what {@link ConfigurationReference} renders today. When a
 * declared key or a schema changes, this test fails and prints the command that regenerates the
 * file; with {@code -Dparley.docs.regenerate=true} it writes the file instead.
 */
class ConfigurationReferenceTest {

    /** Run from the module folder, as Maven does. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path FILE = ROOT.resolve("docs/reference/configuration.md");

    @Test
    void theConfigurationReferenceIsUpToDate() throws Exception {
        // Given what the readers declare and the schemas say today
        String rendered = ConfigurationReference.render(ROOT);
        if (Boolean.getBoolean("parley.docs.regenerate")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, rendered, StandardCharsets.UTF_8);
        }

        // Then the file says the same
        String written = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
        assertThat(written).as("docs/reference/configuration.md is stale; regenerate it with%n  %s%n",
                ConfigurationReference.REGENERATE).isEqualTo(rendered);
    }

    @Test
    void everyDeclaredKeyIsInTheReferenceWithItsDefault() throws Exception {
        // Given the reference
        String rendered = ConfigurationReference.render(ROOT);

        // Then every declared key of every file is a row, with its description
        ConfigurationReference.declaredFiles().forEach((file, sections) -> {
            assertThat(rendered).contains("## " + file);
            for (ConfigKeys section : sections) {
                String prefix = section.path().isEmpty() ? "" : section.path() + ".";
                for (ConfigKeys.Key key : section.keys()) {
                    assertThat(rendered).contains("| `" + prefix + key.name() + "` |");
                    assertThat(key.description()).as("%s %s%s has a description", file, prefix, key.name()).isNotBlank();
                }
            }
        });
        // and a processor default reads as the files write it
        assertThat(rendered).contains("| `conversation.deadline` | duration | `8s` |");
        assertThat(ProcessorConfig.SECTIONS).isNotEmpty();
    }

    @Test
    void schemaTypesReadInWords() throws Exception {
        // Given small schemas
        var json = new com.fasterxml.jackson.databind.ObjectMapper();

        // Then each type reads as a person would say it
        assertThat(ConfigurationReference.type(json.readTree("{\"$ref\": \"#/definitions/duration\"}"))).isEqualTo("`duration`");
        assertThat(ConfigurationReference.type(json.readTree("{\"enum\": [\"a\", \"b\"]}"))).isEqualTo("one of a, b");
        assertThat(ConfigurationReference.type(json.readTree("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}")))
                .isEqualTo("list of string");
        assertThat(ConfigurationReference.type(json.readTree("{\"type\": [\"string\", \"number\"]}")))
                .isEqualTo("string or number");
    }
}
