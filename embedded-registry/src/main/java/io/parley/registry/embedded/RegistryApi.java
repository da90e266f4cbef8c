package io.parley.registry.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.runtime.http.QueryString;
import io.parley.serde.registry.CompatibilityLevel;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Schema Registry REST API over an {@link InMemorySchemaRegistry}: the part that
 * serializers, deserializers and registry clients call, with the registry's paths, bodies,
 * content type ({@code application/vnd.schemaregistry.v1+json}, or {@code application/json} when
 * that is all a client accepts) and error bodies ({@code {"error_code": 40401, "message": "..."}}).
 *
 * <p>Only Avro schemas without references are accepted. Every change is written to the
 * {@link SchemaJournal}, when there is one, while the registry is locked, so the journal holds
 * changes in the registry's order.
 */
final class RegistryApi extends org.eclipse.jetty.server.Handler.Abstract {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String DEFAULT_CONTENT_TYPE = "application/vnd.schemaregistry+json";
    private static final String JSON_CONTENT_TYPE = "application/json";
    /** Request bodies larger than this are refused: the registry takes schemas, not data. */
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final String SUBJECT = "([^/]+)";
    private static final String VERSION = "([^/]+)";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);

    private final InMemorySchemaRegistry registry;
    private final Optional<SchemaJournal> journal;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Route> routes = new ArrayList<>();

    RegistryApi(InMemorySchemaRegistry registry, Optional<SchemaJournal> journal) {
        this.registry = registry;
        this.journal = journal;
        route("GET", "/", call -> Map.of());
        route("GET", "/schemas/types", call -> List.of("AVRO"));
        route("GET", "/schemas/ids/([^/]+)", call -> Map.of("schema", registry.byId(id(call.path(1))).toString()));
        route("GET", "/schemas/ids/([^/]+)/schema", call -> rawSchema(registry.byId(id(call.path(1)))));
        route("GET", "/schemas/ids/([^/]+)/versions", call -> registry.usesOf(id(call.path(1)), call.flag("deleted")).stream()
                .map(use -> Map.of("subject", use.subject(), "version", use.version())).toList());
        route("GET", "/schemas/ids/([^/]+)/subjects", call -> registry.usesOf(id(call.path(1)), call.flag("deleted")).stream()
                .map(RegisteredSchema::subject).distinct().toList());
        route("GET", "/subjects", call -> registry.subjects(call.flag("deleted")));
        route("POST", "/subjects/" + SUBJECT + "/versions", this::register);
        route("POST", "/subjects/" + SUBJECT, this::lookUp);
        route("DELETE", "/subjects/" + SUBJECT, this::deleteSubject);
        route("GET", "/subjects/" + SUBJECT + "/versions", call -> registry.versions(call.path(1), call.flag("deleted")));
        route("GET", "/subjects/" + SUBJECT + "/versions/" + VERSION, call -> describe(version(call, call.flag("deleted"))));
        route("GET", "/subjects/" + SUBJECT + "/versions/" + VERSION + "/schema",
                call -> rawSchema(version(call, call.flag("deleted")).schema()));
        route("DELETE", "/subjects/" + SUBJECT + "/versions/" + VERSION, this::deleteVersion);
        route("POST", "/compatibility/subjects/" + SUBJECT + "/versions/" + VERSION, this::checkAgainstVersion);
        route("POST", "/compatibility/subjects/" + SUBJECT + "/versions", this::checkAsRegistration);
        route("GET", "/config", call -> Map.of("compatibilityLevel", registry.globalCompatibility().name()));
        route("PUT", "/config", this::setGlobalCompatibility);
        route("DELETE", "/config", this::resetGlobalCompatibility);
        route("GET", "/config/" + SUBJECT, this::subjectCompatibility);
        route("PUT", "/config/" + SUBJECT, this::setSubjectCompatibility);
        route("DELETE", "/config/" + SUBJECT, this::deleteSubjectCompatibility);
        route("GET", "/mode", call -> Map.of("mode", "READWRITE"));
    }

    private void route(String method, String path, Handler handler) {
        routes.add(new Route(method, Pattern.compile(path), handler));
    }

    /** Answers one request. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        Optional<String> responseType = responseType(request.getHeaders().get("Accept"));
        int status = 200;
        Object body;
        try {
            if (responseType.isEmpty()) {
                throw new RegistryError(406, 406, "HTTP 406 Not Acceptable");
            }
            body = dispatch(request, response);
        } catch (RegistryError e) {
            status = e.status();
            body = errorBody(e.errorCode(), e.getMessage());
        } catch (SchemaRegistryException e) {
            status = e.httpStatus() == 0 ? 500 : e.httpStatus();
            body = errorBody(e.errorCode() == 0 ? 50001 : e.errorCode(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            status = 500;
            body = errorBody(50001, "Internal error");
        }
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.getHeaders().put("Content-Type", responseType.orElse(CONTENT_TYPE));
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    private Object dispatch(Request request, Response response) throws IOException {
        String path = request.getHttpURI().getPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(path);
            if (!matcher.matches()) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            return route.handler().handle(new Call(matcher, query(request.getHttpURI().getQuery()), body(request)));
        }
        if (!allowed.isEmpty()) {
            response.getHeaders().put("Allow", String.join(", ", allowed));
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
        }
        throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }

    private Object register(Call call) {
        String subject = call.path(1);
        Schema schema = schemaOf(call);
        // The journal is written under the registry's lock, so it holds changes in the registry's order.
        synchronized (registry) {
            boolean known = registry.findUnder(subject, schema).isPresent();
            int id = registry.register(subject, schema);
            if (!known) {
                journal.ifPresent(j -> j.recordRegistration(subject, schema));
            }
            return Map.of("id", id);
        }
    }

    private Object lookUp(Call call) {
        String subject = call.path(1);
        Schema schema = schemaOf(call);
        boolean deleted = call.flag("deleted");
        registry.versions(subject, deleted); // 40401 when the subject does not exist, as the registry answers
        return describe(registry.findUnder(subject, schema, deleted)
                .orElseThrow(() -> new RegistryError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found")));
    }

    private Object deleteVersion(Call call) {
        String subject = call.path(1);
        boolean permanent = call.flag("permanent");
        synchronized (registry) {
            int version = versionNumber(call);
            int deleted = registry.deleteVersion(subject, version, permanent);
            journal.ifPresent(j -> j.recordVersionDeletion(subject, deleted, permanent));
            return deleted;
        }
    }

    private Object deleteSubject(Call call) {
        String subject = call.path(1);
        boolean permanent = call.flag("permanent");
        synchronized (registry) {
            List<Integer> deleted = registry.deleteSubject(subject, permanent);
            journal.ifPresent(j -> j.recordSubjectDeletion(subject, permanent));
            return deleted;
        }
    }

    private Object checkAgainstVersion(Call call) {
        String subject = call.path(1);
        Schema schema = schemaOf(call);
        synchronized (registry) {
            return compatibilityAnswer(call, registry.incompatibilities(subject, schema, version(call, false)));
        }
    }

    private Object checkAsRegistration(Call call) {
        return compatibilityAnswer(call, registry.incompatibilities(call.path(1), schemaOf(call)));
    }

    private static Object compatibilityAnswer(Call call, List<String> problems) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("is_compatible", problems.isEmpty());
        if (call.flag("verbose")) {
            answer.put("messages", problems);
        }
        return answer;
    }

    private Object setGlobalCompatibility(Call call) {
        CompatibilityLevel level = levelOf(call);
        synchronized (registry) {
            registry.setGlobalCompatibility(level);
            journal.ifPresent(j -> j.recordCompatibility(Optional.empty(), Optional.of(level)));
        }
        return Map.of("compatibility", level.name());
    }

    private Object resetGlobalCompatibility(Call call) {
        synchronized (registry) {
            CompatibilityLevel previous = registry.globalCompatibility();
            registry.setGlobalCompatibility(CompatibilityLevel.BACKWARD);
            journal.ifPresent(j -> j.recordCompatibility(Optional.empty(), Optional.empty()));
            return Map.of("compatibilityLevel", previous.name());
        }
    }

    private Object subjectCompatibility(Call call) {
        String subject = call.path(1);
        Optional<CompatibilityLevel> own = registry.subjectCompatibility(subject);
        if (own.isEmpty() && call.flag("defaultToGlobal")) {
            own = Optional.of(registry.globalCompatibility());
        }
        return Map.of("compatibilityLevel", own.orElseThrow(() -> new RegistryError(404,
                RegistryError.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured")).name());
    }

    private Object setSubjectCompatibility(Call call) {
        String subject = call.path(1);
        CompatibilityLevel level = levelOf(call);
        synchronized (registry) {
            registry.setSubjectCompatibility(subject, level);
            journal.ifPresent(j -> j.recordCompatibility(Optional.of(subject), Optional.of(level)));
        }
        return Map.of("compatibility", level.name());
    }

    private Object deleteSubjectCompatibility(Call call) {
        String subject = call.path(1);
        synchronized (registry) {
            Optional<CompatibilityLevel> removed = registry.deleteSubjectCompatibility(subject);
            if (removed.isEmpty() && registry.subjects(true).stream().noneMatch(subject::equals)) {
                throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404,
                        SchemaRegistryException.SUBJECT_NOT_FOUND);
            }
            journal.ifPresent(j -> j.recordCompatibility(Optional.of(subject), Optional.empty()));
            // The level that applied until now: its own, or the global one it keeps following.
            return Map.of("compatibilityLevel", removed.orElse(registry.globalCompatibility()).name());
        }
    }

    /** The version a path names: a number, or {@code latest} (also {@code -1}) for the latest live one. */
    private RegisteredSchema version(Call call, boolean includeDeleted) {
        String subject = call.path(1);
        String version = call.path(2);
        if (isLatest(version)) {
            return registry.latest(subject);
        }
        return registry.version(subject, parseVersion(version), includeDeleted);
    }

    private int versionNumber(Call call) {
        String version = call.path(2);
        return isLatest(version) ? registry.latest(call.path(1)).version() : parseVersion(version);
    }

    private static boolean isLatest(String version) {
        return version.equalsIgnoreCase("latest") || version.equals("-1");
    }

    private static int parseVersion(String version) {
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1) {
            throw new RegistryError(422, RegistryError.INVALID_VERSION, "The specified version '" + version
                    + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        return number;
    }

    private static int id(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new RegistryError(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
    }

    private static Map<String, Object> describe(RegisteredSchema registered) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", registered.subject());
        body.put("version", registered.version());
        body.put("id", registered.id());
        body.put("schema", registered.schema().toString());
        return body;
    }

    /** The schema itself as the JSON document (the registry's {@code /schema} endpoints). */
    private JsonNode rawSchema(Schema schema) {
        try {
            return json.readTree(schema.toString());
        } catch (IOException e) {
            throw new IllegalStateException("An Avro schema did not print as JSON", e);
        }
    }

    private CompatibilityLevel levelOf(Call call) {
        JsonNode body = jsonBody(call);
        String name = body.path("compatibility").asText(null);
        return CompatibilityLevel.parse(name).orElseThrow(() -> new RegistryError(422, RegistryError.INVALID_COMPATIBILITY_LEVEL,
                "Invalid compatibility level" + (name == null ? "" : " " + name) + ". Valid values are none, backward, forward,"
                        + " full, backward_transitive, forward_transitive, and full_transitive"));
    }

    /** The Avro schema in a register, look-up or compatibility body. */
    private Schema schemaOf(Call call) {
        JsonNode body = jsonBody(call);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new RegistryError(422, SchemaRegistryException.INVALID_SCHEMA, "Unsupported schema type " + type
                    + "; this registry holds AVRO schemas only");
        }
        if (body.path("references").size() > 0) {
            throw new RegistryError(422, SchemaRegistryException.INVALID_SCHEMA, "Schema references are not supported by this registry");
        }
        String text = body.path("schema").asText("");
        if (text.isBlank()) {
            throw new RegistryError(422, SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new RegistryError(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    private JsonNode jsonBody(Call call) {
        JsonNode body;
        try {
            body = json.readTree(call.body());
        } catch (IOException e) {
            throw new RegistryError(400, 400, "The request body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new RegistryError(422, 422, "The request body must be a JSON object");
        }
        return body;
    }

    /**
     * The media type of the answer: the registry's own unless the client accepts only plain JSON;
     * empty when it accepts neither.
     */
    static Optional<String> responseType(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(CONTENT_TYPE);
        }
        boolean json = false;
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals(CONTENT_TYPE) || type.equals(DEFAULT_CONTENT_TYPE) || type.equals("*/*") || type.equals("application/*")) {
                return Optional.of(CONTENT_TYPE);
            }
            json |= type.equals(JSON_CONTENT_TYPE);
        }
        return json ? Optional.of(JSON_CONTENT_TYPE) : Optional.empty();
    }

    private static byte[] body(Request request) throws IOException {
        String contentType = request.getHeaders().get("Content-Type");
        if (contentType != null) {
            String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!List.of(CONTENT_TYPE, DEFAULT_CONTENT_TYPE, JSON_CONTENT_TYPE, "application/octet-stream").contains(type)) {
                throw new RegistryError(415, 415, "HTTP 415 Unsupported Media Type");
            }
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new RegistryError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static Map<String, String> query(String rawQuery) {
        try {
            return QueryString.parse(rawQuery);
        } catch (IllegalArgumentException e) {
            throw new RegistryError(400, 400, "Malformed percent-encoding in the query");
        }
    }

    /** Percent-decoding of a path segment: a {@code +} is itself there (a space only in a query), as in Confluent's registry. */
    private static String decodePath(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryError(400, 400, "Malformed percent-encoding: " + raw);
        }
    }

    private static Map<String, Object> errorBody(int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        return body;
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Call call);
    }

    /** One request: the path's groups, the query and the body. */
    private record Call(Matcher matcher, Map<String, String> query, byte[] body) {

        /** A decoded group of the path, such as the subject. */
        String path(int group) {
            return decodePath(matcher.group(group));
        }

        /** A {@code true}/{@code false} query parameter, false when absent. */
        boolean flag(String name) {
            return "true".equalsIgnoreCase(query.getOrDefault(name, "false"));
        }
    }
}
