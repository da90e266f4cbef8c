package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.analytics.config.AnalyticsConfig;
import io.parley.gateway.GatewayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parley.mcp.McpSettings;
import io.parley.mcp.ToolDefinition;
import io.parley.runtime.config.ConfigKeys;
import io.parley.gateway.chat.ChatLimits;
import io.parley.processor.config.ProcessorConfig;
import io.parley.runtime.ConfigVariables;
import io.parley.topics.TopicNames;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.WorkerConfig;
import io.parley.worker.config.YamlFiles;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configuration in the tarball's conf/: it loads with the services' own readers, lists
 * every key they know, and says what each is for.
 */
class ExampleConfigurationTest {

    private static final Path CONF = Path.of(System.getProperty("parley.distribution.source", "src/dist")).resolve("conf");
    /** The guide whose tables document every key of processor.yaml. */
    private static final Path CONFIGURATION_GUIDE = Path.of(System.getProperty("parley.configuration.guide", "../docs/configuration.md"));
    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)(#\\s*)?(-\\s+)?([A-Za-z][\\w.-]*):(\\s|$)");
    private static final Pattern DOCUMENTED_KEY = Pattern.compile("^\\| `([^`]+)` \\|");

    @Test
    void processorExampleLoadsWithTheProcessorsReader() {
        ProcessorConfig config = ProcessorConfig.load(CONF.resolve("processor.yaml"));

        assertThat(config.kafka()).containsKey("bootstrap.servers").containsEntry("state.dir", "/var/lib/parley/state");
        assertThat(config.admin().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void workerExampleAndItsConnectorsLoadWithTheWorkersReaders() throws IOException {
        WorkerConfig config = WorkerConfig.load(CONF.resolve("worker.yaml"));

        assertThat(config.adminHost()).isEqualTo("0.0.0.0");
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            assertThat(ConnectorFiles.read(List.of(YamlFiles.read(CONF.resolve("connectors.yaml"))), variables))
                    .extracting(connector -> connector.name()).containsExactly("shop-api");
        }
    }

    @Test
    void analyticsExampleLoadsWithTheAnalyticsReader() {
        AnalyticsConfig config = AnalyticsConfig.load(CONF.resolve("analytics.yaml"));

        assertThat(config.botTopics()).containsEntry("parley", "chat.audit");
        assertThat(config.adminHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void gatewayExampleLoadsWithTheGatewaysReader() throws IOException {
        Map<String, String> secrets = Map.of("GATEWAY_TOKEN_SECRET", "t".repeat(32), "GATEWAY_CONVERSATION_KEY", "k".repeat(32),
                "GATEWAY_CONSOLE_TOKEN", "c".repeat(16));
        String text = Files.readString(CONF.resolve("gateway.yaml"));
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            text = text.replace("${env:" + secret.getKey() + "}", secret.getValue());
        }

        GatewayConfig config = GatewayConfig.parse("gateway.yaml", text);

        assertThat(config.port()).isEqualTo(8480);
        assertThat(config.admin()).isEqualTo(new GatewayConfig.Admin("0.0.0.0", 9103));
        assertThat(config.limits()).isEqualTo(ChatLimits.defaults());
        assertThat(config.demoUsers()).as("no demo tokens outside local mode").isEmpty();
    }

    @Test
    void mcpExampleLoadsWithTheMcpServersReaderAndShowsEveryKey(@TempDir Path secrets) throws IOException {
        Path tokens = Files.writeString(secrets.resolve("mcp.properties"), "token=" + "m".repeat(24) + "\n");
        String text = Files.readString(CONF.resolve("mcp.yaml")).replace("${env:PARLEY_MCP_TOKEN}", "${file:" + tokens + ":token}");

        McpSettings settings;
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            settings = McpSettings.from(YamlFiles.parse("mcp.yaml", text), CONF, variables);
        }

        assertThat(settings.port()).isEqualTo(8095);
        assertThat(settings.bind()).isEqualTo("0.0.0.0");
        assertThat(settings.tools()).extracting(ToolDefinition::name).containsExactly("get_order");
        assertThat(settings.callers().user("Bearer " + "m".repeat(24))).contains("support-agent");
        for (ConfigKeys section : McpSettings.SECTIONS) {
            for (ConfigKeys.Key key : section.keys()) {
                assertThat(text).as("conf/mcp.yaml shows %s", key.name())
                        .containsPattern("(?m)^\\s*(#\\s*)?(-\\s+)?" + Pattern.quote(key.name()) + ":");
            }
        }
    }

    @Test
    void composeMcpYamlLoadsWithTheVariablesItsServiceSets(@TempDir Path pod) throws IOException {
        Path deploy = CONF.resolve("../../../../deploy").normalize();
        JsonNode environment = new ObjectMapper(new YAMLFactory()).readTree(deploy.resolveSibling("docker-compose.yml").toFile())
                .path("services").path("mcp").path("environment");
        Path env = pod.resolve("env.properties");
        List<String> values = new ArrayList<>();
        Pattern reference = Pattern.compile("\\$\\{env:([A-Z_]+)}");
        for (String file : List.of("mcp.yaml", "connectors.yaml")) {
            String text = Files.readString(deploy.resolve(file));
            Matcher matcher = reference.matcher(text);
            while (matcher.find()) {
                assertThat(environment.has(matcher.group(1))).as("compose service mcp sets %s (read by deploy/%s)", matcher.group(1), file).isTrue();
                values.add(matcher.group(1) + "=value-of-" + matcher.group(1));
            }
            Files.writeString(pod.resolve(file), reference.matcher(text).replaceAll(match -> Matcher.quoteReplacement("${file:" + env + ":" + match.group(1) + "}")));
        }
        Files.write(env, values);

        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            McpSettings settings = McpSettings.read(pod.resolve("mcp.yaml"), variables, java.time.Clock.systemUTC());
            assertThat(settings.callers().user("Bearer value-of-PARLEY_MCP_TOKEN")).contains("demo-agent");
            assertThat(settings.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
        }
    }

    @Test
    void processorExampleNamesEveryKeyTheConfigurationGuideDocuments() throws IOException {
        List<String> documented = documentedKeys("### processor.yaml");
        String example = Files.readString(CONF.resolve("processor.yaml"));

        assertThat(documented).hasSizeGreaterThan(20);
        for (String key : documented) {
            String last = key.replaceAll("\\.<[^>]+>", "");
            last = last.substring(last.lastIndexOf('.') + 1);
            assertThat(example).as("conf/processor.yaml shows %s", key).containsPattern("(?m)^\\s*(#\\s*)?" + Pattern.quote(last) + ":");
        }
        for (String topic : TopicNames.defaults().asMap().keySet()) {
            assertThat(example).as("conf/processor.yaml shows topics.%s", topic).containsPattern("(?m)^\\s+" + topic + ": ");
        }
    }

    @Test
    void workerExampleNamesEveryKeyOfTheWorkersReader() throws Exception {
        String example = Files.readString(CONF.resolve("worker.yaml"));

        for (Field field : WorkerConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class && !field.getName().startsWith("DEFAULT_")) {
                String key = (String) field.get(null);
                assertThat(example).as("conf/worker.yaml shows %s", key).containsPattern("(?m)^\\s*(#\\s*)?" + Pattern.quote(key) + ":");
            }
        }
    }

    @Test
    void everyKeyOfEveryExampleIsExplained() throws IOException {
        for (String file : List.of("processor.yaml", "worker.yaml", "connectors.yaml", "analytics.yaml", "gateway.yaml", "mcp.yaml")) {
            List<String> lines = Files.readAllLines(CONF.resolve(file));
            for (int i = 0; i < lines.size(); i++) {
                Matcher key = KEY_LINE.matcher(lines.get(i));
                if (!key.find() || key.group(2) != null) {
                    continue;   // commented-out keys sit under their explanation, which is checked on the live key or the block
                }
                boolean commentOnLine = lines.get(i).contains(" # ");
                boolean commentAbove = i > 0 && lines.get(i - 1).trim().startsWith("#");
                boolean nestedUnderExplained = key.group(1).length() >= 6;   // operation fields under an explained operation
                assertThat(commentOnLine || commentAbove || nestedUnderExplained)
                        .as("conf/%s line %d (%s) has an explanation", file, i + 1, lines.get(i).trim()).isTrue();
            }
        }
    }

    private static List<String> documentedKeys(String heading) throws IOException {
        List<String> keys = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(CONFIGURATION_GUIDE)) {
            if (line.startsWith("#")) {
                inSection = line.equals(heading);
                continue;
            }
            Matcher matcher = DOCUMENTED_KEY.matcher(line);
            if (inSection && matcher.find()) {
                keys.add(matcher.group(1));
            }
        }
        return keys;
    }
}
