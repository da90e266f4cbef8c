package io.parley.mcp;

import io.parley.runtime.ConfigVariables;
import io.parley.topics.TopicNames;
import io.parley.worker.ConnectorFiles;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import io.parley.runtime.config.KafkaSettings;
import io.parley.worker.config.YamlFiles;
import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.OperationParameter;
import io.parley.worker.connector.ParsedConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The MCP server's configuration ({@code mcp.yaml}), read once at start with the worker's reader:
 * where it listens, the Kafka clients and topics its calls go through, the connector files the
 * tools' operations are declared in, who may call, and which operations are tools.
 *
 * @param bind the address to listen on
 * @param port the port (0: any free one)
 * @param path the MCP endpoint's path
 * @param kafka Kafka client settings ({@code bootstrap.servers}, security)
 * @param serdes serde settings ({@code schema.registry.url})
 * @param topics the requests and responses topics (a worker reading these answers the calls)
 * @param callTimeout how long a tool call waits for its answer; also the request's deadline
 * @param callers the tokens allowed to call, and their users
 * @param tools the tools offered
 */
public record McpSettings(String bind, int port, String path, Map<String, String> kafka, Map<String, String> serdes,
                          TopicNames topics, Duration callTimeout, Callers callers, List<ToolDefinition> tools) {

    public static final String BIND = "bind";
    public static final String PORT = "port";
    public static final String PATH = "path";
    public static final String KAFKA = "kafka";
    public static final String SERDES = "serdes";
    public static final String TOPICS = "topics";
    public static final String CONNECTOR_FILES = "connectorFiles";
    public static final String CALL_TIMEOUT = "callTimeout";
    public static final String CALLERS = "callers";
    public static final String TOOLS = "tools";

    /** The top-level keys of mcp.yaml, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("", "mcp.yaml: the MCP tool server")
            .key(BIND, "host", "127.0.0.1", "the address to listen on")
            .key(PORT, "port", "8095", "the port to listen on (0: any free one)")
            .key(PATH, "string", "/mcp", "the MCP endpoint's path; starts with /")
            .key(KAFKA, "Kafka client properties", "", "bootstrap.servers (required), TLS/SASL; ${env:...}, ${file:...} resolved")
            .key(SERDES, "serde properties", "{}", "schema.registry.url and the serde's other settings")
            .key(TOPICS, "topic names", "defaults", "overrides of topic names by logical name (backendRequests, backendResponses)")
            .key(CONNECTOR_FILES, "list of paths", "", "the connector files the tools' operations are declared in, relative to mcp.yaml (required)")
            .key(CALL_TIMEOUT, "duration", "10s", "how long a tool call waits for its answer; also the request's deadline")
            .key(CALLERS, "list of {user, token}", "", "who may call: a user name and its bearer token (a ${file:...} or ${env:...} reference) (required)")
            .key(TOOLS, "list of {connector, operation, name, description}", "", "the connector operations offered as tools (required)");
    /** The keys of an entry of {@code callers:}. */
    public static final ConfigKeys CALLER_KEYS = ConfigKeys.section(CALLERS + "[]", "A caller of the MCP server")
            .key("user", "string", "", "the user the calls are made as; used once")
            .key("token", "secret", "", "the caller's bearer token, from a config provider");
    /** The keys of an entry of {@code tools:}. */
    public static final ConfigKeys TOOL_KEYS = ConfigKeys.section(TOOLS + "[]", "A tool of the MCP server")
            .key("connector", "string", "", "the connector's name in the connector files")
            .key("operation", "string", "", "the operation of that connector (http, graphql, jdbc or llm)")
            .key("name", "string", "<connector>_<operation>", "the tool's name: 1 to 64 letters, digits, _ - .; used once")
            .key("description", "string", "none", "what the tool does, for the model");
    /** Every section of mcp.yaml, in the order the reference lists them. */
    public static final List<ConfigKeys> SECTIONS = List.of(KEYS, CALLER_KEYS, TOOL_KEYS);

    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Reads {@code mcp.yaml}; connector files are relative to its directory. */
    public static McpSettings read(Path file, ConfigVariables variables) {
        return from(YamlFiles.read(file), file.toAbsolutePath().getParent(), variables);
    }

    /**
     * Reads the settings from a parsed file.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the file, entry and field
     */
    public static McpSettings from(ConfigSection root, Path directory, ConfigVariables variables) {
        root.allowOnly(KEYS);
        String path = root.string(PATH).orElse("/mcp");
        if (!path.startsWith("/")) {
            throw root.error(PATH, "must start with /");
        }
        Map<String, String> kafka = KafkaSettings.read(root, KAFKA, variables).requireBootstrapServers(root, KAFKA).properties();
        TopicNames topics;
        try {
            topics = TopicNames.fromMap(root.stringMap(TOPICS));
        } catch (RuntimeException e) {
            throw root.error(TOPICS, e.getMessage());
        }
        List<ParsedConnector<?>> connectors = connectors(root, directory, variables);
        return new McpSettings(root.string(BIND).orElse("127.0.0.1"), root.intValue(PORT, 8095, 0, 65535), path, kafka,
                root.stringMap(SERDES), topics, root.positiveDuration(CALL_TIMEOUT, Duration.ofSeconds(10)),
                callers(root, variables), tools(root, connectors));
    }

    private static List<ParsedConnector<?>> connectors(ConfigSection root, Path directory, ConfigVariables variables) {
        List<String> names = root.stringList(CONNECTOR_FILES);
        if (names.isEmpty()) {
            throw root.error(CONNECTOR_FILES, "names no connector file; list the files the worker answering these calls reads");
        }
        List<ConfigSection> files = new ArrayList<>();
        for (String name : names) {
            files.add(YamlFiles.read(directory.resolve(name)));
        }
        return ConnectorFiles.read(files, variables);
    }

    private static Callers callers(ConfigSection root, ConfigVariables variables) {
        List<Callers.Caller> callers = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (ConfigSection entry : root.objectList(CALLERS, item -> item.path("user").asText(null))) {
            entry.allowOnly(CALLER_KEYS);
            String user = entry.requiredString("user").strip();
            if (user.isEmpty() || !users.add(user)) {
                throw entry.error("user", "must be a user name used once");
            }
            String token = entry.requiredString("token");
            if (!ConfigVariables.hasReference(token)) {
                throw entry.error("token", "a secret must come from a config provider (${file:...}, ${env:...}), not the file itself");
            }
            callers.add(new Callers.Caller(user, variables.resolveSecret(entry.where("token"), token)));
        }
        if (callers.isEmpty()) {
            throw root.error(CALLERS, "lists no caller; every tool call needs a token that names its user");
        }
        return new Callers(callers);
    }

    private static List<ToolDefinition> tools(ConfigSection root, List<ParsedConnector<?>> connectors) {
        Map<String, ConnectorDefinition> byName = new LinkedHashMap<>();
        connectors.forEach(connector -> byName.put(connector.name(), connector.definition()));
        List<ToolDefinition> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigSection entry : root.objectList(TOOLS, item -> item.path("name").asText(null))) {
            entry.allowOnly(TOOL_KEYS);
            String connector = entry.requiredString("connector");
            String operation = entry.requiredString("operation");
            String name = entry.string("name").orElse(connector + "_" + operation).replace('@', '_');
            if (!TOOL_NAME.matcher(name).matches() || !names.add(name)) {
                throw entry.error("name", "'" + name + "' must be 1 to 64 letters, digits, _ - . and used once");
            }
            ConnectorDefinition definition = byName.get(connector);
            if (definition == null) {
                throw entry.error("connector", "'" + connector + "' is not in the connector files; known are " + byName.keySet());
            }
            Optional<List<OperationParameter>> parameters = definition.parameters(operation);
            if (parameters.isEmpty()) {
                throw entry.error("operation", definition.operationNames().contains(definition.settings().resolve(operation))
                        ? "the parameters of '" + operation + "' are not declared by its connector type " + definition.settings().type()
                                + "; tools can offer http, graphql, jdbc and llm operations"
                        : "'" + operation + "' is not an operation of connector '" + connector + "'");
            }
            tools.add(new ToolDefinition(name, entry.string("description"), connector, operation, parameters.get()));
        }
        if (tools.isEmpty()) {
            throw root.error(TOOLS, "lists no tool");
        }
        return List.copyOf(tools);
    }
}
