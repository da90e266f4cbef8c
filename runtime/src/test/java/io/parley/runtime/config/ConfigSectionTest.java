package io.parley.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigSectionTest {

    enum Mode { SHARE, CLASSIC, AT_LEAST_ONCE }

    private static ConfigSection parse(String yaml) {
        return ConfigSection.parse("app.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTypedValuesWithDefaults() {
        // Given a file with one value of each kind
        ConfigSection root = parse("""
                name: parley
                port: "8080"
                ratio: 0.25
                enabled: TRUE
                timeout: 250ms
                memory: 64MiB
                mode: at-least-once
                hosts: [a, b]
                single: c
                props: {linger.ms: 5, acks: all}
                """);

        // Then each reads as its type, and absent keys give their defaults
        assertThat(root.string("name")).contains("parley");
        assertThat(root.intValue("port", 1, 0, 65535)).isEqualTo(8080);
        assertThat(root.doubleValue("ratio", 1.0, 0.0, 1.0)).isEqualTo(0.25);
        assertThat(root.bool("enabled", false)).isTrue();
        assertThat(root.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(root.bytes("memory", 0, 0, Long.MAX_VALUE)).isEqualTo(64L << 20);
        assertThat(root.enumValue("mode", Mode.class)).contains(Mode.AT_LEAST_ONCE);
        assertThat(root.stringList("hosts")).containsExactly("a", "b");
        assertThat(root.stringList("single")).containsExactly("c");
        assertThat(root.stringMap("props")).containsExactly(Map.entry("linger.ms", "5"), Map.entry("acks", "all"));
        assertThat(root.string("missing", "fallback")).isEqualTo("fallback");
        assertThat(root.intValue("missing", 7, 0, 10)).isEqualTo(7);
        assertThat(root.section("missing").keys()).isEmpty();
        assertThat(root.object("missing")).isEmpty();
        assertThat(root.duration("missing")).isEmpty();
        assertThat(parse("").keys()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "port: 70000       | app.yaml: port: 70000 is out of range; allowed are 0 to 65535",
            "port: many        | app.yaml: port: 'many' is not a whole number",
            "ratio: 2          | app.yaml: ratio: 2.0 is out of range; allowed are 0.0 to 1.0",
            "ratio: half       | app.yaml: ratio: 'half' is not a number",
            "enabled: maybe    | app.yaml: enabled: 'maybe' is not true or false",
            "mode: sometimes   | app.yaml: mode: 'sometimes' is not one of [share, classic, at_least_once]",
            "name: [a, b]      | app.yaml: name: must be a single value, not a list",
            "name: '  '        | app.yaml: name: must not be blank",
            "nested: 5         | app.yaml: nested: must be a mapping of keys to values, not a single value",
            "nested: {deep: x} | app.yaml: nested.deep: must be a mapping of keys to values, not a single value",
            "items: [1]        | app.yaml: items[0]: must be a mapping of keys to values, not a single value",
            "memory: lots      | app.yaml: memory: 'lots' is not a size (use for example 64MiB, 1GiB or a number of bytes)",
    })
    void eachBadValueIsOneLineNamingFileAndPath(String yaml, String message) {
        // Given a file with one bad value
        ConfigSection root = parse(yaml);

        // When it is read, Then the error names the file and the path of the entry
        assertThatThrownBy(() -> {
            root.intValue("port", 1, 0, 65535);
            root.doubleValue("ratio", 1.0, 0.0, 1.0);
            root.bool("enabled", false);
            root.enumValue("mode", Mode.class);
            root.nonBlankString("name");
            root.section("nested").section("deep");
            root.sectionList("items");
            root.bytes("memory", 0, 0, Long.MAX_VALUE);
        }).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void secretsAreNotEchoedWhenAValueHasTheWrongShape() {
        // Given a secret-looking value where a mapping is expected
        ConfigSection root = parse("auth: hunter2-secret\n");

        // Then the message says what is wrong without the value
        assertThatThrownBy(() -> root.section("auth")).hasMessageNotContaining("hunter2");
    }

    @Test
    void unknownKeysAreRefusedByReadsOrByDeclaration() {
        // Given a section with a misspelt key
        ConfigSection read = parse("conversation: {deadline: 8s, dedline: 9s}\n").section("conversation");
        ConfigSection declared = parse("conversation: {deadline: 8s, dedline: 9s}\n").section("conversation");
        ConfigKeys keys = ConfigKeys.section("conversation", "timing").key("deadline", "duration", "8s", "the deadline")
                .key("interimAfter", "duration", "2s", "the interim");

        // When the known keys are read, or the declaration is checked
        read.duration("deadline", Duration.ZERO);

        // Then the misspelt key is named, with the known ones
        assertThatThrownBy(read::rejectUnknownKeys)
                .hasMessage("app.yaml: conversation.dedline: unknown key; known keys here are [deadline]");
        assertThatThrownBy(() -> declared.allowOnly(keys))
                .hasMessage("app.yaml: conversation.dedline: unknown key; known keys here are [deadline, interimAfter]");
    }

    @Test
    void listsAndNamedMappingsAreLabelledForMessages() {
        // Given connectors in a list and operations by name
        ConfigSection root = parse("""
                connectors:
                  - name: shop-api
                    operations: {getOrder: {path: orders}}
                  - type: http
                """);

        // When they are read
        List<ConfigSection> connectors = root.objectList("connectors", item -> item.path("name").asText(null));
        Map<String, ConfigSection> operations = connectors.get(0).namedObjects("operations");

        // Then each names itself by its label or index
        assertThat(connectors.get(0).where()).isEqualTo("app.yaml: connectors[shop-api]");
        assertThat(connectors.get(1).where()).isEqualTo("app.yaml: connectors[1]");
        assertThat(operations.get("getOrder").error("path", "must start with '/'"))
                .hasMessage("app.yaml: connectors[shop-api].operations[getOrder].path: must start with '/'");
        assertThat(root.sectionList("connectors").get(0).relabel("connectors[first]").where("name"))
                .isEqualTo("app.yaml: connectors[first].name");
    }

    @Test
    void aTreeReadElsewhereBecomesASection() throws Exception {
        // Given a tree parsed elsewhere
        var tree = new YAMLMapper().readTree("enabled: true\n");

        // Then it reads like a parsed file, an empty file is refused as a root, and a scalar is not a mapping
        assertThat(ConfigSection.root("connectors.yaml", tree).bool("enabled", false)).isTrue();
        assertThatThrownBy(() -> ConfigSection.root("connectors.yaml", null)).hasMessage("connectors.yaml: the file is empty");
        assertThatThrownBy(() -> ConfigSection.of("worker.yaml", "tracing", new YAMLMapper().readTree("5")))
                .hasMessage("worker.yaml: tracing: must be a mapping of keys to values");
        assertThatThrownBy(() -> parse("- a\n")).hasMessage("app.yaml: the document must be a mapping of keys to values");
        assertThatThrownBy(() -> parse("a: [\n")).hasMessageStartingWith("app.yaml: not valid YAML (line ");
    }

    @Test
    void secretsResolveThroughTheConfigProvidersAndNeverShow() {
        // Given a literal secret and a reference to an environment variable that is not set
        ConfigSection root = parse("token: hunter2-literal\nmissing: \"${env:PARLEY_TEST_NEVER_SET_SECRET}\"\n");

        try (io.parley.runtime.ConfigVariables variables = io.parley.runtime.ConfigVariables.withStandardProviders()) {
            // Then the literal is a secret that does not print, and the reference fails naming the entry
            assertThat(root.secret("token", variables).orElseThrow().reveal()).isEqualTo("hunter2-literal");
            assertThat(root.secret("token", variables).orElseThrow().toString()).doesNotContain("hunter2");
            assertThat(root.secret("absent", variables)).isEmpty();
            assertThatThrownBy(() -> root.secret("missing", variables)).hasMessageStartingWith("app.yaml: missing");
        }
    }

    @Test
    void keysAreDeclaredOnceWithTypeDefaultAndDescription() {
        // Given a declaration
        ConfigKeys keys = ConfigKeys.section("admin", "the admin endpoint").key("port", "integer 0-65535", "8085", "its port");

        // Then it lists its keys, refuses a second declaration of one, and writes durations as files do
        assertThat(keys.names()).containsExactly("port");
        assertThat(keys.keys().get(0).defaultValue()).isEqualTo("8085");
        assertThatThrownBy(() -> keys.key("port", "x", "", "again")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfigKeys.duration(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(ConfigKeys.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ConfigKeys.duration(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(ConfigKeys.duration(Duration.ofDays(7))).isEqualTo("7d");
    }
}
