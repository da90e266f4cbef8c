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
import io.parley.runtime.Secret;
import io.parley.runtime.audit.AuditSection;
import io.parley.runtime.audit.UserReferences;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
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
 * @param schemaRegistry serde settings ({@code schema.registry.url}), as in the other services' files
 * @param topics the requests and responses topics (a worker reading these answers the calls)
 * @param callTimeout how long a tool call waits for its answer; also the request's deadline
 * @param callers who may call: static tokens and their users, and/or verified JWTs naming their user
 * @param tools the tools offered
 * @param auditUsers how the audit records of tool calls refer to users (as the processor's, same key)
 */
public record McpSettings(String bind, int port, String path, Map<String, String> kafka, Map<String, String> schemaRegistry,
                          TopicNames topics, Duration callTimeout, Callers callers, List<ToolDefinition> tools,
                          UserReferences auditUsers) {

    public static final String BIND = "bind";
    public static final String PORT = "port";
    public static final String PATH = "path";
    public static final String KAFKA = "kafka";
    public static final String SCHEMA_REGISTRY = "schemaRegistry";
    /** The name {@link #SCHEMA_REGISTRY} had before; refused at start with the new name. */
    static final String OLD_SCHEMA_REGISTRY = "serdes";
    public static final String TOPICS = "topics";
    public static final String CONNECTOR_FILES = "connectorFiles";
    public static final String CALL_TIMEOUT = "callTimeout";
    public static final String CALLERS = "callers";
    public static final String TOOLS = "tools";
    public static final String JWT = "jwt";
    public static final String AUDIT = "audit";
    /** The claim that names the user unless {@code jwt.userClaim} says otherwise. */
    public static final String DEFAULT_USER_CLAIM = "sub";

    /** The top-level keys of mcp.yaml, for the unknown-key check and the configuration reference. */
    public static final ConfigKeys KEYS = ConfigKeys.section("", "mcp.yaml: the MCP tool server")
            .key(BIND, "host", "127.0.0.1", "the address to listen on")
            .key(PORT, "port", "8095", "the port to listen on (0: any free one)")
            .key(PATH, "string", "/mcp", "the MCP endpoint's path; starts with /")
            .key(KAFKA, "Kafka client properties", "", "bootstrap.servers (required), TLS/SASL; ${env:...}, ${file:...} resolved")
            .key(SCHEMA_REGISTRY, "serde properties", "{}", "schema.registry.url and the serde's other settings (was serdes)")
            .key(TOPICS, "topic names", "defaults", "overrides of topic names by logical name (backendRequests, backendResponses)")
            .key(CONNECTOR_FILES, "list of paths", "", "the connector files the tools' operations are declared in, relative to mcp.yaml (required)")
            .key(CALL_TIMEOUT, "duration", "10s", "how long a tool call waits for its answer; also the request's deadline")
            .key(CALLERS, "list of {user, token}", "[]", "callers with a static token: a user name and its bearer token (a ${file:...} or ${env:...} reference); callers or jwt is required")
            .key(JWT, "section", "none", "callers with a signed JWT naming their user; callers or jwt is required")
            .key(AUDIT, "section", "", "the audit records of tool calls (chat.audit)")
            .key(TOOLS, "list of {connector, operation, name, description}", "", "the connector operations offered as tools (required)");
    /** The keys of {@code jwt:}. */
    public static final ConfigKeys JWT_KEYS = ConfigKeys.section(JWT, "Callers with a signed JWT (Authorization: Bearer <jwt>)")
            .key("algorithm", "HS256 or RS256", "", "the only signature algorithm accepted (alg=none is always refused) (required)")
            .key("secret", "secret", "", "HS256: the shared key, at least 32 bytes, from a config provider (required for HS256)")
            .key("jwksUrl", "URL", "", "RS256: where the identity provider publishes its keys (required for RS256)")
            .key("audience", "string", "", "the aud the tokens must be for (required)")
            .key("issuer", "string", "any", "the iss the tokens must come from")
            .key("userClaim", "string", DEFAULT_USER_CLAIM, "the claim whose value is the trusted user of the calls");
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
    public static final List<ConfigKeys> SECTIONS = List.of(KEYS, CALLER_KEYS, JWT_KEYS, AuditSection.KEYS, TOOL_KEYS);

    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Reads {@code mcp.yaml}; connector files are relative to its directory. */
    public static McpSettings read(Path file, ConfigVariables variables, Clock clock) {
        return from(YamlFiles.read(file), file.toAbsolutePath().getParent(), variables, clock);
    }

    /** Reads the settings from a parsed file, with the system clock for token expiry. */
    public static McpSettings from(ConfigSection root, Path directory, ConfigVariables variables) {
        return from(root, directory, variables, Clock.systemUTC());
    }

    /**
     * Reads the settings from a parsed file.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the file, entry and field
     */
    public static McpSettings from(ConfigSection root, Path directory, ConfigVariables variables, Clock clock) {
        if (root.has(OLD_SCHEMA_REGISTRY)) {
            throw root.error(OLD_SCHEMA_REGISTRY, "is now called " + SCHEMA_REGISTRY + ", as in the other services' files; rename the entry");
        }
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
                root.stringMap(SCHEMA_REGISTRY), topics, root.positiveDuration(CALL_TIMEOUT, Duration.ofSeconds(10)),
                callers(root, variables, clock), tools(root, connectors), AuditSection.read(root.section(AUDIT), variables).users());
    }

    private static Optional<JwtCallers> jwt(ConfigSection root, ConfigVariables variables, Clock clock) {
        Optional<ConfigSection> found = root.object(JWT);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConfigSection jwt = found.get();
        jwt.allowOnly(JWT_KEYS);
        String audience = jwt.nonBlankString("audience").orElseThrow(() -> jwt.error("audience", "is required; tokens for another service must not be accepted here"));
        Optional<String> issuer = jwt.nonBlankString("issuer");
        String claim = jwt.nonBlankString("userClaim").orElse(DEFAULT_USER_CLAIM);
        String algorithm = jwt.requiredString("algorithm");
        switch (algorithm) {
            case "HS256" -> {
                if (jwt.has("jwksUrl")) {
                    throw jwt.error("jwksUrl", "is for RS256; HS256 tokens are checked with secret");
                }
                String secret = jwt.nonBlankString("secret").orElseThrow(() -> jwt.error("secret", "is required for HS256"));
                if (!ConfigVariables.hasReference(secret)) {
                    throw jwt.error("secret", "a secret must come from a config provider (${file:...}, ${env:...}), not the file itself");
                }
                byte[] key = variables.resolveSecret(jwt.where("secret"), secret).reveal().getBytes(StandardCharsets.UTF_8);
                if (key.length < 32) {
                    throw jwt.error("secret", "is too short; HS256 needs at least 32 bytes");
                }
                return Optional.of(JwtCallers.hs256(key, audience, issuer, claim, clock));
            }
            case "RS256" -> {
                if (jwt.has("secret")) {
                    throw jwt.error("secret", "is for HS256; RS256 tokens are checked with the keys at jwksUrl");
                }
                String url = jwt.nonBlankString("jwksUrl").orElseThrow(() -> jwt.error("jwksUrl", "is required for RS256"));
                URI uri;
                try {
                    uri = new URI(url);
                } catch (URISyntaxException e) {
                    throw jwt.error("jwksUrl", "'" + url + "' is not a URL");
                }
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                    throw jwt.error("jwksUrl", "'" + url + "' must be an http(s) URL");
                }
                return Optional.of(JwtCallers.rs256(uri, audience, issuer, claim, clock));
            }
            default -> throw jwt.error("algorithm", "'" + algorithm + "' is not accepted; allowed are HS256 and RS256");
        }
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

    private static Callers callers(ConfigSection root, ConfigVariables variables, Clock clock) {
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
        Optional<JwtCallers> jwt = jwt(root, variables, clock);
        if (callers.isEmpty() && jwt.isEmpty()) {
            throw root.error(CALLERS, "lists no caller and there is no jwt section; every tool call needs a token that names its user");
        }
        return new Callers(callers, jwt);
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
                                + ""
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
