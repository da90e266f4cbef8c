package io.parley.registry.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.serde.registry.HttpSchemaRegistryClient;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the registry over real HTTP, with the answers, error codes and content types
 * Confluent's clients expect, and the registry client of {@code schemas} against it.
 */
class RegistryRestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String V1_JSON = "application/vnd.schemaregistry.v1+json";

    /** {a: string}. */
    private static final String A_STRING = record("{\"name\":\"a\",\"type\":\"string\"}");
    /** {a: string, b: int = 0}: backward and forward compatible with {@link #A_STRING}. */
    private static final String A_AND_B_WITH_DEFAULT = record(
            "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    /** {a: string, b: int}: forward but not backward compatible with {@link #A_STRING}. */
    private static final String A_AND_B = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}");
    /** {}: backward but not forward compatible with {@link #A_STRING}. */
    private static final String NOTHING = record("");
    /** {a: int = 0}: backward compatible with {@link #NOTHING}, not with {@link #A_STRING}. */
    private static final String A_INT = record("{\"name\":\"a\",\"type\":\"int\",\"default\":0}");

    private final String scope = "registry-api-" + UUID.randomUUID();
    private EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.start(InMemorySchemaRegistry.forScope(scope));

    @AfterEach
    void stop() {
        server.close();
        InMemorySchemaRegistry.dropScope(scope);
    }

    private static String record(String fields) {
        return "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"test\",\"fields\":[" + fields + "]}";
    }

    @Test
    void registeringIsIdempotentAndAnswersInTheRegistryContentType() throws Exception {
        HttpResponse<String> first = call("POST", "/subjects/s-value/versions", schemaBody(A_STRING));
        HttpResponse<String> again = call("POST", "/subjects/s-value/versions", schemaBody(A_STRING.replace(",", ", ")));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue(V1_JSON);
        assertThat(json(first)).isEqualTo(JSON.readTree("{\"id\":1}"));
        assertThat(json(again)).isEqualTo(JSON.readTree("{\"id\":1}"));
        assertThat(json(call("GET", "/subjects/s-value/versions", null))).isEqualTo(JSON.readTree("[1]"));
    }

    @Test
    void schemasAreReadByIdWithTheSubjectsAndVersionsUsingThem() throws Exception {
        register("a-value", A_STRING);
        register("b-value", A_STRING);

        assertThat(JSON.readTree(json(call("GET", "/schemas/ids/1", null)).get("schema").asText())).isEqualTo(JSON.readTree(A_STRING));
        assertThat(json(call("GET", "/schemas/ids/1/versions", null))).isEqualTo(JSON.readTree(
                "[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1}]"));
        assertError(call("GET", "/schemas/ids/2", null), 404, 40403);
        assertError(call("GET", "/schemas/ids/x", null), 404, 40403);
    }

    @Test
    void subjectsVersionsAndLatestAreListed() throws Exception {
        register("s-value", A_STRING);
        register("s-value", A_AND_B_WITH_DEFAULT);

        assertThat(json(call("GET", "/subjects", null))).isEqualTo(JSON.readTree("[\"s-value\"]"));
        assertThat(json(call("GET", "/subjects/s-value/versions", null))).isEqualTo(JSON.readTree("[1,2]"));
        JsonNode latest = json(call("GET", "/subjects/s-value/versions/latest", null));
        assertThat(latest.get("subject").asText()).isEqualTo("s-value");
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(latest.get("schema").asText())).isEqualTo(JSON.readTree(A_AND_B_WITH_DEFAULT));
        assertThat(json(call("GET", "/subjects/s-value/versions/1", null)).get("id").asInt()).isEqualTo(1);
        assertThat(json(call("GET", "/subjects/s-value/versions/1/schema", null))).isEqualTo(JSON.readTree(A_STRING));
        assertError(call("GET", "/subjects/other-value/versions", null), 404, 40401);
        assertError(call("GET", "/subjects/other-value/versions/latest", null), 404, 40401);
        assertError(call("GET", "/subjects/s-value/versions/3", null), 404, 40402);
        assertError(call("GET", "/subjects/s-value/versions/0", null), 422, 42202);
        assertError(call("GET", "/subjects/s-value/versions/newest", null), 422, 42202);
    }

    @Test
    void lookUpAnswersTheVersionOrTellsWhatIsMissing() throws Exception {
        register("s-value", A_STRING);

        JsonNode found = json(call("POST", "/subjects/s-value", schemaBody(A_STRING)));

        assertThat(found.get("subject").asText()).isEqualTo("s-value");
        assertThat(found.get("version").asInt()).isEqualTo(1);
        assertThat(found.get("id").asInt()).isEqualTo(1);
        assertError(call("POST", "/subjects/s-value", schemaBody(A_AND_B_WITH_DEFAULT)), 404, 40403);
        assertError(call("POST", "/subjects/other-value", schemaBody(A_STRING)), 404, 40401);
        assertError(call("POST", "/subjects/s-value", schemaBody("{\"type\":\"record\"}")), 422, 42201);
    }

    @Test
    void compatibilityIsCheckedAgainstAVersionAtTheSubjectsLevel() throws Exception {
        register("s-value", A_STRING);

        assertThat(json(call("POST", "/compatibility/subjects/s-value/versions/latest", schemaBody(A_AND_B_WITH_DEFAULT))))
                .isEqualTo(JSON.readTree("{\"is_compatible\":true}"));
        assertThat(json(call("POST", "/compatibility/subjects/s-value/versions/1", schemaBody(A_AND_B))))
                .isEqualTo(JSON.readTree("{\"is_compatible\":false}"));
        JsonNode verbose = json(call("POST", "/compatibility/subjects/s-value/versions/latest?verbose=true", schemaBody(A_AND_B)));
        assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.get("messages").get(0).asText()).contains("BACKWARD").contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(json(call("POST", "/compatibility/subjects/s-value/versions", schemaBody(A_AND_B))).get("is_compatible").asBoolean())
                .isFalse();
        assertError(call("POST", "/compatibility/subjects/other-value/versions/latest", schemaBody(A_STRING)), 404, 40401);
        assertError(call("POST", "/compatibility/subjects/s-value/versions/2", schemaBody(A_STRING)), 404, 40402);
        assertError(call("POST", "/compatibility/subjects/s-value/versions/two", schemaBody(A_STRING)), 422, 42202);
        assertError(call("POST", "/compatibility/subjects/s-value/versions/latest", schemaBody("not avro")), 422, 42201);
    }

    @Test
    void anIncompatibleRegistrationIsRefusedWithConflict() throws Exception {
        register("s-value", A_STRING);

        assertError(call("POST", "/subjects/s-value/versions", schemaBody(A_AND_B)), 409, 409);
        assertThat(json(call("GET", "/subjects/s-value/versions", null))).isEqualTo(JSON.readTree("[1]"));
    }

    @Test
    void eachLevelDecidesWhichVersionsMayFollow() throws Exception {
        register("forward-value", A_STRING);
        register("full-value", A_STRING);
        register("none-value", A_STRING);
        setLevel("/config/forward-value", "FORWARD");
        setLevel("/config/full-value", "FULL");
        setLevel("/config/none-value", "NONE");

        assertThat(call("POST", "/subjects/forward-value/versions", schemaBody(A_AND_B)).statusCode()).isEqualTo(200);
        assertError(call("POST", "/subjects/forward-value/versions", schemaBody(NOTHING)), 409, 409);
        assertError(call("POST", "/subjects/full-value/versions", schemaBody(A_AND_B)), 409, 409);
        assertThat(call("POST", "/subjects/full-value/versions", schemaBody(A_AND_B_WITH_DEFAULT)).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/subjects/none-value/versions", schemaBody(A_INT.replace(",\"default\":0", ""))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aTransitiveLevelChecksEveryVersionNotOnlyTheLatest() throws Exception {
        register("plain-value", A_STRING);
        register("plain-value", NOTHING);
        register("transitive-value", A_STRING);
        register("transitive-value", NOTHING);
        setLevel("/config/transitive-value", "BACKWARD_TRANSITIVE");

        assertThat(call("POST", "/subjects/plain-value/versions", schemaBody(A_INT)).statusCode()).isEqualTo(200);
        assertThat(json(call("POST", "/compatibility/subjects/transitive-value/versions?verbose=true", schemaBody(A_INT)))
                .get("messages").toString()).contains("version 1");
        assertError(call("POST", "/subjects/transitive-value/versions", schemaBody(A_INT)), 409, 409);
    }

    @Test
    void globalAndSubjectLevelsAreSetReadAndRemoved() throws Exception {
        assertThat(json(call("GET", "/config", null))).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"));
        assertThat(json(call("PUT", "/config", "{\"compatibility\":\"full\"}"))).isEqualTo(JSON.readTree("{\"compatibility\":\"FULL\"}"));
        assertThat(json(call("GET", "/config", null))).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"FULL\"}"));

        assertError(call("GET", "/config/s-value", null), 404, 40408);
        assertThat(json(call("GET", "/config/s-value?defaultToGlobal=true", null)))
                .isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"FULL\"}"));
        assertThat(json(call("PUT", "/config/s-value", "{\"compatibility\":\"NONE\"}")))
                .isEqualTo(JSON.readTree("{\"compatibility\":\"NONE\"}"));
        assertThat(json(call("GET", "/config/s-value", null))).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"NONE\"}"));
        assertThat(json(call("DELETE", "/config/s-value", null))).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"NONE\"}"));
        assertError(call("GET", "/config/s-value", null), 404, 40408);
        assertError(call("DELETE", "/config/s-value", null), 404, 40401);
        assertError(call("PUT", "/config/s-value", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertError(call("PUT", "/config", "{}"), 422, 42203);
    }

    @Test
    void aSoftDeletedVersionIsSkippedUnlessDeletedOnesAreAskedFor() throws Exception {
        register("s-value", A_STRING);
        register("s-value", A_AND_B_WITH_DEFAULT);

        assertThat(json(call("DELETE", "/subjects/s-value/versions/1", null))).isEqualTo(JSON.readTree("1"));

        assertThat(json(call("GET", "/subjects/s-value/versions", null))).isEqualTo(JSON.readTree("[2]"));
        assertThat(json(call("GET", "/subjects/s-value/versions?deleted=true", null))).isEqualTo(JSON.readTree("[1,2]"));
        assertError(call("GET", "/subjects/s-value/versions/1", null), 404, 40402);
        assertThat(json(call("GET", "/subjects/s-value/versions/1?deleted=true", null)).get("id").asInt()).isEqualTo(1);
        assertError(call("POST", "/subjects/s-value", schemaBody(A_STRING)), 404, 40403);
        assertThat(json(call("POST", "/subjects/s-value?deleted=true", schemaBody(A_STRING))).get("version").asInt()).isEqualTo(1);
        assertThat(call("GET", "/schemas/ids/1", null).statusCode()).as("ids stay readable").isEqualTo(200);
        assertError(call("DELETE", "/subjects/s-value/versions/1", null), 404, 40406);
        assertError(call("DELETE", "/subjects/s-value/versions/2?permanent=true", null), 404, 40407);
        assertError(call("DELETE", "/subjects/s-value/versions/7", null), 404, 40402);
        assertError(call("DELETE", "/subjects/other-value/versions/1", null), 404, 40401);

        assertThat(json(call("DELETE", "/subjects/s-value/versions/1?permanent=true", null))).isEqualTo(JSON.readTree("1"));
        assertThat(json(call("GET", "/subjects/s-value/versions?deleted=true", null))).isEqualTo(JSON.readTree("[2]"));
        assertError(call("GET", "/schemas/ids/1", null), 404, 40403);
    }

    @Test
    void aSoftDeletedSubjectIsListedOnlyWithDeletedOnesAndKeepsItsVersionNumbers() throws Exception {
        register("s-value", A_STRING);
        register("s-value", A_AND_B_WITH_DEFAULT);
        register("t-value", A_STRING);

        assertThat(json(call("DELETE", "/subjects/s-value", null))).isEqualTo(JSON.readTree("[1,2]"));

        assertThat(json(call("GET", "/subjects", null))).isEqualTo(JSON.readTree("[\"t-value\"]"));
        assertThat(json(call("GET", "/subjects?deleted=true", null))).isEqualTo(JSON.readTree("[\"s-value\",\"t-value\"]"));
        assertError(call("GET", "/subjects/s-value/versions", null), 404, 40401);
        assertError(call("GET", "/subjects/s-value/versions/latest", null), 404, 40401);
        assertError(call("DELETE", "/subjects/s-value", null), 404, 40404);
        assertError(call("DELETE", "/subjects/t-value?permanent=true", null), 404, 40405);
        // Registering again starts a new version; numbers of deleted ones are not given out again.
        register("s-value", A_STRING);
        assertThat(json(call("GET", "/subjects/s-value/versions", null))).isEqualTo(JSON.readTree("[3]"));
    }

    @Test
    void plainJsonIsAcceptedAndAnsweredWhenThatIsAllAClientTakes() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/subjects/s-value/versions"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(schemaBody(A_STRING))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        HttpResponse<String> textBody = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/subjects/s-value/versions"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(schemaBody(A_STRING))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(textBody, 415, 415);
        HttpResponse<String> html = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/subjects"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertError(html, 406, 406);
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheRegistryErrorFormat() throws Exception {
        assertError(call("GET", "/nothing/here", null), 404, 404);
        HttpResponse<String> wrongMethod = call("PUT", "/subjects", "{}");
        assertError(wrongMethod, 405, 405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void theSchemasModulesClientRegistersLooksUpAndChecksCompatibility() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(List.of(server.url()), Optional.empty(),
                Duration.ofSeconds(5), Duration.ofSeconds(5));
        Schema v1 = new Schema.Parser().parse(A_STRING);

        int id = client.register("s-value", v1);

        assertThat(client.register("s-value", new Schema.Parser().parse(A_STRING))).isEqualTo(id);
        assertThat(client.idOf("s-value", v1)).isEqualTo(id);
        assertThat(client.latest("s-value").version()).isEqualTo(1);
        assertThat(client.byId(id)).isEqualTo(v1);
        assertThat(client.isCompatible("s-value", new Schema.Parser().parse(A_AND_B_WITH_DEFAULT))).isTrue();
        assertThat(client.isCompatible("s-value", new Schema.Parser().parse(A_AND_B))).isFalse();
        assertThatThrownBy(() -> client.idOf("s-value", new Schema.Parser().parse(A_AND_B)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> client.register("s-value", new Schema.Parser().parse(A_AND_B)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    }

    @Test
    void deletesAndLevelsSurviveARestartWithTheJournal(@TempDir Path data) throws Exception {
        server.close();
        InMemorySchemaRegistry.dropScope(scope);
        SchemaJournal journal = SchemaJournal.inFile(data.resolve("schemas.jsonl"));
        server = EmbeddedSchemaRegistry.builder(InMemorySchemaRegistry.forScope(scope)).journal(journal).start();
        register("s-value", A_STRING);
        register("s-value", A_AND_B_WITH_DEFAULT);
        call("DELETE", "/subjects/s-value/versions/1", null);
        setLevel("/config/s-value", "FORWARD");
        setLevel("/config", "FULL");
        server.close();
        InMemorySchemaRegistry.dropScope(scope);

        server = EmbeddedSchemaRegistry.builder(InMemorySchemaRegistry.forScope(scope)).journal(journal).start();

        assertThat(json(call("GET", "/subjects/s-value/versions?deleted=true", null))).isEqualTo(JSON.readTree("[1,2]"));
        assertThat(json(call("GET", "/subjects/s-value/versions", null))).isEqualTo(JSON.readTree("[2]"));
        assertThat(json(call("GET", "/config/s-value", null)).get("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertThat(json(call("GET", "/config", null)).get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(json(call("GET", "/subjects/s-value/versions/latest", null)).get("id").asInt()).isEqualTo(2);
    }

    private void register(String subject, String schema) throws Exception {
        HttpResponse<String> response = call("POST", "/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(response.statusCode()).as("registering under %s: %s", subject, response.body()).isEqualTo(200);
    }

    private void setLevel(String path, String level) throws Exception {
        assertThat(call("PUT", path, "{\"compatibility\":\"" + level + "\"}").statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> response, int status, int errorCode) throws Exception {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(V1_JSON);
        JsonNode body = json(response);
        assertThat(body.get("error_code").asInt()).as("error_code of %s", body).isEqualTo(errorCode);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", V1_JSON);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", V1_JSON).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
