package io.parley.mcp;

import io.parley.runtime.ConfigVariables;
import io.parley.topics.TopicNames;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.config.ConfigNode;
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
    public static McpSettings from(ConfigNode root, Path directory, ConfigVariables variables) {
        root.allowOnly(BIND, PORT, PATH, KAFKA, SERDES, TOPICS, CONNECTOR_FILES, CALL_TIMEOUT, CALLERS, TOOLS);
        String path = root.string(PATH).orElse("/mcp");
        if (!path.startsWith("/")) {
            throw root.error(PATH, "must start with /");
        }
        Map<String, String> kafka = variables.resolveAll(root.where(KAFKA), root.stringMap(KAFKA));
        if (!kafka.containsKey("bootstrap.servers")) {
            throw root.error(KAFKA, "bootstrap.servers is required");
        }
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

    private static List<ParsedConnector<?>> connectors(ConfigNode root, Path directory, ConfigVariables variables) {
        List<String> names = root.stringList(CONNECTOR_FILES);
        if (names.isEmpty()) {
            throw root.error(CONNECTOR_FILES, "names no connector file; list the files the worker answering these calls reads");
        }
        List<ConfigNode> files = new ArrayList<>();
        for (String name : names) {
            files.add(YamlFiles.read(directory.resolve(name)));
        }
        return ConnectorFiles.read(files, variables);
    }

    private static Callers callers(ConfigNode root, ConfigVariables variables) {
        List<Callers.Caller> callers = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (ConfigNode entry : root.objectList(CALLERS, item -> item.path("user").asText(null))) {
            entry.allowOnly("user", "token");
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

    private static List<ToolDefinition> tools(ConfigNode root, List<ParsedConnector<?>> connectors) {
        Map<String, ConnectorDefinition> byName = new LinkedHashMap<>();
        connectors.forEach(connector -> byName.put(connector.name(), connector.definition()));
        List<ToolDefinition> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode entry : root.objectList(TOOLS, item -> item.path("name").asText(null))) {
            entry.allowOnly("name", "connector", "operation", "description");
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
