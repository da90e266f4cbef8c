package io.parley.worker.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an OpenAPI 3.0/3.1 document into a Parley {@code http} connector file: one operation per
 * chosen operationId with its path, required query parameters and JSON body as templates, the
 * success response's JSON Schema as {@code response.schema} (so answers are checked against it), and the
 * document's security scheme as the connector's {@code auth} with secrets as {@code ${env:...}}
 * references. What a Parley connector cannot express (optional parameters, header parameters,
 * non-JSON bodies, query API keys) is listed as notes, in the file and to the caller.
 */
public final class OpenApiImport {

    /**
     * @param connectorName the connector's name in the file
     * @param baseUrl the base URL, when the document's first server is not the one to call
     * @param operationIds the operations to import; empty imports all of them
     */
    public record Options(String connectorName, Optional<String> baseUrl, Set<String> operationIds) {
    }

    /** The connector file's text, and what could not be carried over. */
    public record Result(String yaml, List<String> notes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Set<PathItem.HttpMethod> METHODS = Set.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.POST,
            PathItem.HttpMethod.PUT, PathItem.HttpMethod.PATCH, PathItem.HttpMethod.DELETE, PathItem.HttpMethod.HEAD);

    private OpenApiImport() {
    }

    /**
     * Reads and resolves a document.
     *
     * @throws IllegalArgumentException with the parser's messages when it is not a usable OpenAPI document
     */
    public static OpenAPI read(Path file) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options);
        if (result.getOpenAPI() == null || result.getOpenAPI().getPaths() == null) {
            List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
            throw new IllegalArgumentException(file.getFileName() + ": not a usable OpenAPI 3 document"
                    + (messages.isEmpty() ? "" : ": " + String.join("; ", messages)));
        }
        return result.getOpenAPI();
    }

    public static Result generate(OpenAPI api, String source, Options options) {
        List<String> notes = new ArrayList<>();
        String baseUrl = options.baseUrl().orElseGet(() -> firstServer(api, notes));
        Map<String, String> operations = new LinkedHashMap<>();
        Set<String> wanted = new LinkedHashSet<>(options.operationIds());
        List<SecurityRequirement> security = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String id = operationId(method, path, operation);
            if (!options.operationIds().isEmpty() && !wanted.remove(id)) {
                return;
            }
            if (!METHODS.contains(method)) {
                notes.add(id + ": " + method + " is not a method Parley calls; left out");
                return;
            }
            operations.put(id, operation(api, id, method, path, item, operation, notes));
            if (operation.getSecurity() != null) {
                security.addAll(operation.getSecurity());
            }
        }));
        if (!wanted.isEmpty()) {
            throw new IllegalArgumentException(source + ": no operation with the id " + String.join(", ", wanted));
        }
        if (operations.isEmpty()) {
            throw new IllegalArgumentException(source + ": no operation to import");
        }
        if (api.getSecurity() != null) {
            security.addAll(api.getSecurity());
        }
        Optional<String> auth = auth(api, options.connectorName(), security, notes);

        StringBuilder yaml = new StringBuilder();
        yaml.append("# Generated by 'parley connectors import-openapi' from ").append(source);
        if (api.getInfo() != null) {
            yaml.append(" (").append(oneLine(api.getInfo().getTitle())).append(' ').append(oneLine(api.getInfo().getVersion())).append(')');
        }
        yaml.append(".\n# Review it: set the secrets' environment variables, timeouts, retries and response mappings.\n");
        for (String note : notes) {
            yaml.append("# NOTE ").append(oneLine(note)).append('\n');
        }
        yaml.append("connectors:\n");
        yaml.append("  - name: ").append(quote(options.connectorName())).append('\n');
        yaml.append("    type: http\n");
        yaml.append("    baseUrl: ").append(quote(baseUrl)).append('\n');
        auth.ifPresent(text -> yaml.append("    auth: ").append(text).append('\n'));
        yaml.append("    operations:\n");
        operations.forEach((id, text) -> yaml.append("      ").append(quote(id)).append(":\n").append(text));
        return new Result(yaml.toString(), List.copyOf(notes));
    }

    private static String operation(OpenAPI api, String id, PathItem.HttpMethod method, String path, PathItem item,
                                    Operation operation, List<String> notes) {
        StringBuilder text = new StringBuilder();
        text.append("        method: ").append(method.name()).append('\n');
        Map<String, String> query = new LinkedHashMap<>();
        String parleyPath = path;
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        for (Parameter parameter : parameters) {
            String name = parameter.getName();
            String placeholder = placeholder(name);
            switch (parameter.getIn() == null ? "" : parameter.getIn()) {
                case "path" -> parleyPath = parleyPath.replace("{" + name + "}", "{" + placeholder + "}");
                case "query" -> {
                    if (Boolean.TRUE.equals(parameter.getRequired())) {
                        query.put(name, "{" + placeholder + "}");
                    } else {
                        notes.add(id + ": optional query parameter '" + name + "' left out (add it under query: to send it always)");
                    }
                }
                default -> notes.add(id + ": " + parameter.getIn() + " parameter '" + name
                        + "' is not sent (Parley sets headers and cookies per connector)");
            }
        }
        text.append("        path: ").append(quote(parleyPath)).append('\n');
        if (!query.isEmpty()) {
            text.append("        query: ").append(json(query)).append('\n');
        }
        body(api, id, operation, notes).ifPresent(body -> text.append("        body: ").append(body).append('\n'));
        responseSchema(api, id, operation, notes).ifPresent(schema ->
                text.append("        response:\n          schema: ").append(schema).append('\n'));
        if (method == PathItem.HttpMethod.GET || method == PathItem.HttpMethod.HEAD || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.DELETE) {
            text.append("        # idempotent (").append(method.name()).append("): safe to retry\n");
        } else {
            text.append("        # not idempotent (").append(method.name())
                    .append("): the backend must honour the Idempotency-Key header Parley sends for retries to be safe\n");
        }
        return text.toString();
    }

    private static Optional<String> body(OpenAPI api, String id, Operation operation, List<String> notes) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return Optional.empty();
        }
        MediaType json = operation.getRequestBody().getContent().get("application/json");
        if (json == null || json.getSchema() == null) {
            notes.add(id + ": the request body is not JSON (" + String.join(", ", operation.getRequestBody().getContent().keySet())
                    + "); left out");
            return Optional.empty();
        }
        Schema<?> schema = resolve(api, json.getSchema());
        if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
            notes.add(id + ": the request body's schema has no properties; write the body by hand");
            return Optional.empty();
        }
        Set<String> required = schema.getRequired() == null ? Set.of() : new LinkedHashSet<>(schema.getRequired());
        Map<String, String> body = new LinkedHashMap<>();
        schema.getProperties().forEach((name, property) -> {
            if (!required.contains(name)) {
                notes.add(id + ": optional body field '" + name + "' left out");
                return;
            }
            Schema<?> resolved = resolve(api, property);
            String type = type(resolved);
            String placeholder = placeholder(name);
            switch (type) {
                case "integer" -> body.put(name, "{" + placeholder + ":int}");
                case "number" -> body.put(name, "{" + placeholder + ":number}");
                case "boolean" -> body.put(name, "{" + placeholder + ":boolean}");
                case "string", "" -> body.put(name, "{" + placeholder + "}");
                default -> notes.add(id + ": body field '" + name + "' is an " + type + "; write it by hand");
            }
        });
        return body.isEmpty() ? Optional.empty() : Optional.of(json(body));
    }

    /**
     * The JSON Schema of the operation's success answer (the first 2xx response with a JSON body), with
     * the document's references written out, so the worker checks answers against the API's own
     * contract (raw answer, before any mapping you add). A recursive schema is cut at its repetition.
     */
    private static Optional<String> responseSchema(OpenAPI api, String id, Operation operation, List<String> notes) {
        if (operation.getResponses() == null) {
            return Optional.empty();
        }
        List<String> codes = operation.getResponses().keySet().stream()
                .filter(code -> code.startsWith("2")).sorted().toList();
        for (String code : codes) {
            var response = operation.getResponses().get(code);
            if (response.get$ref() != null && api.getComponents() != null && api.getComponents().getResponses() != null) {
                response = api.getComponents().getResponses().getOrDefault(
                        response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1), response);
            }
            if (response.getContent() == null) {
                continue;
            }
            MediaType json = response.getContent().entrySet().stream()
                    .filter(entry -> entry.getKey().equals("application/json") || entry.getKey().endsWith("+json"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (json != null && json.getSchema() != null) {
                return Optional.of(json(jsonSchema(api, json.getSchema(), new LinkedHashSet<>())));
            }
        }
        if (!codes.isEmpty()) {
            notes.add(id + ": the success response has no JSON schema; no response.schema");
        }
        return Optional.empty();
    }

    /** An OpenAPI schema as a JSON Schema (2020-12) of its structure: types, properties, required, items, enums, combinations. */
    private static Map<String, Object> jsonSchema(OpenAPI api, Schema<?> schema, Set<String> following) {
        Map<String, Object> out = new LinkedHashMap<>();
        String ref = schema.get$ref();
        if (ref != null) {
            if (!following.add(ref)) {
                return out; // recursive: anything goes below the repetition
            }
            Schema<?> resolved = resolve(api, schema);
            Map<String, Object> converted = resolved == schema ? out : jsonSchema(api, resolved, following);
            following.remove(ref);
            return converted;
        }
        List<String> types = new ArrayList<>();
        if (schema.getType() != null) {
            types.add(schema.getType());
        } else if (schema.getTypes() != null) {
            types.addAll(new java.util.TreeSet<>(schema.getTypes()));
        }
        if (Boolean.TRUE.equals(schema.getNullable()) && !types.isEmpty() && !types.contains("null")) {
            types.add("null");
        }
        if (types.size() == 1) {
            out.put("type", types.get(0));
        } else if (!types.isEmpty()) {
            out.put("type", types);
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            List<Object> values = new ArrayList<>(schema.getEnum());
            if (Boolean.TRUE.equals(schema.getNullable()) && !values.contains(null)) {
                values.add(null);
            }
            out.put("enum", values);
        }
        if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            schema.getProperties().forEach((name, property) -> properties.put(name, jsonSchema(api, property, following)));
            out.put("properties", properties);
        }
        if (schema.getRequired() != null && !schema.getRequired().isEmpty()) {
            out.put("required", List.copyOf(schema.getRequired()));
        }
        if (schema.getItems() != null) {
            out.put("items", jsonSchema(api, schema.getItems(), following));
        }
        if (schema.getAdditionalProperties() instanceof Schema<?> additional) {
            out.put("additionalProperties", jsonSchema(api, additional, following));
        } else if (schema.getAdditionalProperties() instanceof Boolean allowed) {
            out.put("additionalProperties", allowed);
        }
        combination(api, "allOf", schema.getAllOf(), out, following);
        combination(api, "anyOf", schema.getAnyOf(), out, following);
        combination(api, "oneOf", schema.getOneOf(), out, following);
        return out;
    }

    private static void combination(OpenAPI api, String keyword, List<?> members, Map<String, Object> out,
                                    Set<String> following) {
        if (members != null && !members.isEmpty()) {
            List<Object> converted = new ArrayList<>();
            for (Object member : members) {
                converted.add(jsonSchema(api, (Schema<?>) member, following));
            }
            out.put(keyword, converted);
        }
    }

    private static Optional<String> auth(OpenAPI api, String connector, List<SecurityRequirement> security, List<String> notes) {
        Map<String, SecurityScheme> schemes = api.getComponents() == null || api.getComponents().getSecuritySchemes() == null
                ? Map.of() : api.getComponents().getSecuritySchemes();
        Set<String> used = new LinkedHashSet<>();
        security.forEach(requirement -> used.addAll(requirement.keySet()));
        if (used.isEmpty()) {
            return Optional.empty();
        }
        if (used.size() > 1) {
            notes.add("the document uses several security schemes (" + String.join(", ", used) + "); the first is used");
        }
        String name = used.iterator().next();
        SecurityScheme scheme = schemes.get(name);
        String env = connector.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        if (scheme == null || scheme.getType() == null) {
            notes.add("security scheme '" + name + "' is not defined; no auth");
            return Optional.empty();
        }
        switch (scheme.getType()) {
            case APIKEY -> {
                if (scheme.getIn() != SecurityScheme.In.HEADER) {
                    notes.add("API key '" + name + "' goes in the " + scheme.getIn() + "; Parley sends API keys in a header only; no auth");
                    return Optional.empty();
                }
                return Optional.of("{type: apiKey, header: " + quote(scheme.getName()) + ", value: \"${env:" + env + "_API_KEY}\"}");
            }
            case HTTP -> {
                String kind = scheme.getScheme() == null ? "" : scheme.getScheme().toLowerCase(Locale.ROOT);
                if (kind.equals("bearer")) {
                    return Optional.of("{type: bearer, token: \"${env:" + env + "_TOKEN}\"}");
                }
                if (kind.equals("basic")) {
                    return Optional.of("{type: basic, username: \"${env:" + env + "_USERNAME}\", password: \"${env:" + env + "_PASSWORD}\"}");
                }
                notes.add("HTTP auth scheme '" + kind + "' is not supported; no auth");
                return Optional.empty();
            }
            case OAUTH2 -> {
                OAuthFlow flow = scheme.getFlows() == null ? null : scheme.getFlows().getClientCredentials();
                if (flow == null) {
                    notes.add("OAuth2 scheme '" + name + "' has no client-credentials flow (the one a server-side caller uses); no auth");
                    return Optional.empty();
                }
                Set<String> scopes = new LinkedHashSet<>();
                security.stream().filter(requirement -> requirement.containsKey(name))
                        .forEach(requirement -> scopes.addAll(requirement.get(name)));
                return Optional.of("{type: oauth2, tokenUrl: " + quote(flow.getTokenUrl()) + ", clientId: \"${env:" + env
                        + "_CLIENT_ID}\", clientSecret: \"${env:" + env + "_CLIENT_SECRET}\""
                        + (scopes.isEmpty() ? "" : ", scope: " + quote(String.join(" ", scopes))) + "}");
            }
            default -> {
                notes.add("security scheme '" + name + "' (" + scheme.getType() + ") is not supported; no auth");
                return Optional.empty();
            }
        }
    }

    private static String firstServer(OpenAPI api, List<String> notes) {
        List<Server> servers = api.getServers();
        if (servers == null || servers.isEmpty() || servers.get(0).getUrl() == null || servers.get(0).getUrl().equals("/")) {
            notes.add("the document names no server; set baseUrl");
            return "https://api.example";
        }
        Server server = servers.get(0);
        String url = server.getUrl();
        if (server.getVariables() != null) {
            for (var variable : server.getVariables().entrySet()) {
                if (variable.getValue().getDefault() != null) {
                    url = url.replace("{" + variable.getKey() + "}", variable.getValue().getDefault());
                }
            }
            notes.add("the server URL has variables (" + server.getUrl() + "); their defaults are used: " + url);
        }
        if (url.contains("{")) {
            notes.add("the server URL has variables without defaults (" + url + "); replace them in baseUrl");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String operationId(PathItem.HttpMethod method, String path, Operation operation) {
        if (operation.getOperationId() != null && !operation.getOperationId().isBlank()) {
            return operation.getOperationId();
        }
        StringBuilder id = new StringBuilder(method.name().toLowerCase(Locale.ROOT));
        for (String part : path.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }

    private static Schema<?> resolve(OpenAPI api, Schema<?> schema) {
        Schema<?> current = schema;
        for (int depth = 0; current != null && current.get$ref() != null && depth < 10; depth++) {
            String ref = current.get$ref();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            current = api.getComponents() == null || api.getComponents().getSchemas() == null ? null
                    : api.getComponents().getSchemas().get(name);
        }
        return current == null ? schema : current;
    }

    /** A schema's type, from {@code type} (3.0) or {@code types} (3.1). */
    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getTypes() != null) {
            return schema.getTypes().stream().filter(type -> !type.equals("null")).findFirst().orElse("");
        }
        return "";
    }

    /** A parameter name as a Parley placeholder name: characters a placeholder may not hold become '_'. */
    static String placeholder(String name) {
        if (PLACEHOLDER_NAME.matcher(name).matches()) {
            return name;
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return Character.isLetter(cleaned.charAt(0)) || cleaned.charAt(0) == '_' ? cleaned : "_" + cleaned;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A YAML scalar: JSON's quoted string is valid YAML and cannot be misread. */
    private static String quote(String text) {
        return json(text == null ? "" : text);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
