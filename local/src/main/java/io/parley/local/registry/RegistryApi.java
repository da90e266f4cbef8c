package io.parley.local.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.local.http.HttpCall;
import io.parley.local.http.HttpFailure;
import io.parley.local.http.HttpReply;
import io.parley.local.http.Router;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The Schema Registry REST API over an {@link InMemorySchemaRegistry}: the part that
 * serializers, deserializers and schema tools use, with the registry's paths, bodies, content
 * type and error bodies ({@code {"error_code": 40401, "message": "..."}}).
 *
 * <p>Only Avro schemas without references are accepted, and the compatibility level is the
 * registry's default, {@code BACKWARD}, for every subject.
 */
final class RegistryApi {

    /** The media type of the registry API. */
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    static final int INVALID_VERSION = 42202;
    static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

    private static final String COMPATIBILITY = "BACKWARD";

    private final InMemorySchemaRegistry registry;
    private final Optional<SchemaJournal> journal;
    private final ObjectMapper json;

    RegistryApi(InMemorySchemaRegistry registry, Optional<SchemaJournal> journal, ObjectMapper json) {
        this.registry = registry;
        this.journal = journal;
        this.json = json;
    }

    Router router() {
        return Router.builder(json, RegistryApi::errorBody)
                .contentType(CONTENT_TYPE)
                .get("/", call -> HttpReply.ok(Map.of()))
                .get("/subjects", call -> HttpReply.ok(registry.subjects()))
                .post("/subjects/{subject}/versions", this::register)
                .post("/subjects/{subject}", this::lookUp)
                .get("/subjects/{subject}/versions", call -> answer(() -> registry.versions(call.pathVariable("subject"))))
                .get("/subjects/{subject}/versions/{version}", call -> answer(() -> describe(version(call))))
                .get("/subjects/{subject}/versions/{version}/schema", call -> answer(() -> rawSchema(version(call).schema())))
                .get("/schemas/ids/{id}", call -> answer(() -> Map.of("schema", byId(call).toString())))
                .get("/schemas/ids/{id}/schema", call -> answer(() -> rawSchema(byId(call))))
                .get("/schemas/types", call -> HttpReply.ok(List.of("AVRO")))
                .get("/config", call -> HttpReply.ok(Map.of("compatibilityLevel", COMPATIBILITY)))
                .get("/config/{subject}", this::subjectCompatibility)
                .get("/mode", call -> HttpReply.ok(Map.of("mode", "READWRITE")))
                .build();
    }

    private HttpReply register(HttpCall call) {
        String subject = call.pathVariable("subject");
        Schema schema = schemaOf(call);
        return answer(() -> {
            // One registration at a time, so the journal holds versions in the registry's order.
            synchronized (this) {
                boolean known = registry.findUnder(subject, schema).isPresent();
                int id = registry.register(subject, schema);
                if (!known) {
                    journal.ifPresent(j -> j.record(subject, schema));
                }
                return Map.of("id", id);
            }
        });
    }

    private HttpReply lookUp(HttpCall call) {
        String subject = call.pathVariable("subject");
        Schema schema = schemaOf(call);
        return answer(() -> {
            registry.versions(subject); // 40401 when the subject does not exist, as the registry answers
            RegisteredSchema found = registry.findUnder(subject, schema)
                    .orElseThrow(() -> new HttpFailure(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
            return describe(found);
        });
    }

    private HttpReply subjectCompatibility(HttpCall call) {
        if (call.queryParameter("defaultToGlobal").filter("true"::equalsIgnoreCase).isPresent()) {
            return HttpReply.ok(Map.of("compatibilityLevel", COMPATIBILITY));
        }
        throw new HttpFailure(404, SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + call.pathVariable("subject") + "' does not have subject-level compatibility configured");
    }

    private RegisteredSchema version(HttpCall call) {
        String subject = call.pathVariable("subject");
        String version = call.pathVariable("version");
        if (version.equals("latest") || version.equals("-1")) {
            return registry.latest(subject);
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1) {
            throw new HttpFailure(422, INVALID_VERSION, "The specified version '" + version
                    + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        return registry.version(subject, number);
    }

    private Schema byId(HttpCall call) {
        String id = call.pathVariable("id");
        try {
            return registry.byId(Integer.parseInt(id));
        } catch (NumberFormatException e) {
            throw new HttpFailure(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
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

    /** The Avro schema in a register or look-up body. */
    private Schema schemaOf(HttpCall call) {
        JsonNode body;
        try {
            body = json.readTree(call.body());
        } catch (IOException e) {
            throw new HttpFailure(400, 400, "The request body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new HttpFailure(422, SchemaRegistryException.INVALID_SCHEMA, "The request body must be a JSON object with a schema");
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new HttpFailure(422, SchemaRegistryException.INVALID_SCHEMA, "Unsupported schema type " + type
                    + "; this registry holds AVRO schemas only");
        }
        if (body.path("references").size() > 0) {
            throw new HttpFailure(422, SchemaRegistryException.INVALID_SCHEMA, "Schema references are not supported by this registry");
        }
        String text = body.path("schema").asText("");
        if (text.isBlank()) {
            throw new HttpFailure(422, SchemaRegistryException.INVALID_SCHEMA, "Empty schema");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new HttpFailure(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    /** Runs a registry operation, turning the registry's own errors into its HTTP answers. */
    private static HttpReply answer(RegistryCall call) {
        try {
            return HttpReply.ok(call.run());
        } catch (SchemaRegistryException e) {
            throw new HttpFailure(e.httpStatus() == 0 ? 500 : e.httpStatus(), e.errorCode(), e.getMessage());
        }
    }

    private static Object errorBody(int status, int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        return body;
    }

    @FunctionalInterface
    private interface RegistryCall {
        Object run();
    }
}
