package io.parley.registry.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.serde.AvroSerde;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema registry (local mode runs it) over real HTTP: the registry REST API, and the project's serde using it. */
class RegistryServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final String GREETING_V1 = """
            {"type":"record","name":"Greeting","namespace":"test","fields":[{"name":"text","type":"string"}]}""";
    private static final String GREETING_V2 = """
            {"type":"record","name":"Greeting","namespace":"test","fields":[{"name":"text","type":"string"},
             {"name":"lang","type":"string","default":"en"}]}""";
    private static final String GREETING_INCOMPATIBLE = """
            {"type":"record","name":"Greeting","namespace":"test","fields":[{"name":"text","type":"string"},
             {"name":"lang","type":"string"}]}""";

    private String scope;
    private EmbeddedSchemaRegistry server;

    @BeforeEach
    void startServer() {
        scope = "registry-it-" + UUID.randomUUID();
        server = EmbeddedSchemaRegistry.builder(InMemorySchemaRegistry.forScope(scope)).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void registeringASchemaAnswersItsId() throws Exception {
        HttpResponse<String> response = post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"id\":1}"));
    }

    @Test
    void theSameSchemaHasOneIdUnderEverySubject() throws Exception {
        int first = JSON.readTree(post("/subjects/a-value/versions", schemaBody(GREETING_V1)).body()).get("id").asInt();
        int again = JSON.readTree(post("/subjects/a-value/versions", schemaBody(GREETING_V1)).body()).get("id").asInt();
        int elsewhere = JSON.readTree(post("/subjects/b-value/versions", schemaBody(GREETING_V1)).body()).get("id").asInt();

        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).isEqualTo(first);
        assertThat(JSON.readTree(get("/subjects/a-value/versions").body())).isEqualTo(JSON.readTree("[1]"));
    }

    @Test
    void aSchemaIsFetchedByItsId() throws Exception {
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));

        HttpResponse<String> response = get("/schemas/ids/1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode schema = JSON.readTree(JSON.readTree(response.body()).get("schema").asText());
        assertThat(schema).isEqualTo(JSON.readTree(GREETING_V1));
        assertThat(JSON.readTree(get("/schemas/ids/1/schema").body())).isEqualTo(JSON.readTree(GREETING_V1));
    }

    @Test
    void anUnknownIdIsNotFoundWithTheRegistryErrorCode() throws Exception {
        HttpResponse<String> response = get("/schemas/ids/42");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        assertThat(JSON.readTree(response.body()).get("error_code").asInt()).isEqualTo(40403);
        assertThat(JSON.readTree(response.body()).get("message").asText()).isNotBlank();
    }

    @Test
    void lookingUpARegisteredSchemaAnswersSubjectIdVersionAndSchema() throws Exception {
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));

        HttpResponse<String> response = post("/subjects/greetings-value", schemaBody(GREETING_V1));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode found = JSON.readTree(response.body());
        assertThat(found.get("subject").asText()).isEqualTo("greetings-value");
        assertThat(found.get("id").asInt()).isEqualTo(1);
        assertThat(found.get("version").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(found.get("schema").asText())).isEqualTo(JSON.readTree(GREETING_V1));
    }

    @Test
    void lookingUpTellsAnUnknownSubjectFromAnUnknownSchema() throws Exception {
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));

        HttpResponse<String> noSubject = post("/subjects/nothing-value", schemaBody(GREETING_V1));
        HttpResponse<String> noSchema = post("/subjects/greetings-value", schemaBody(GREETING_V2));

        assertThat(noSubject.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noSubject.body()).get("error_code").asInt()).isEqualTo(40401);
        assertThat(noSchema.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noSchema.body()).get("error_code").asInt()).isEqualTo(40403);
    }

    @Test
    void aCompatibleSchemaBecomesTheNextVersionAndTheLatest() throws Exception {
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V2));

        assertThat(JSON.readTree(get("/subjects/greetings-value/versions").body())).isEqualTo(JSON.readTree("[1,2]"));
        JsonNode latest = JSON.readTree(get("/subjects/greetings-value/versions/latest").body());
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(2);
        assertThat(latest.get("subject").asText()).isEqualTo("greetings-value");
        assertThat(JSON.readTree(latest.get("schema").asText())).isEqualTo(JSON.readTree(GREETING_V2));
        JsonNode first = JSON.readTree(get("/subjects/greetings-value/versions/1").body());
        assertThat(JSON.readTree(first.get("schema").asText())).isEqualTo(JSON.readTree(GREETING_V1));
    }

    @Test
    void anIncompatibleSchemaIsRefusedWithConflict() throws Exception {
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));

        HttpResponse<String> response = post("/subjects/greetings-value/versions", schemaBody(GREETING_INCOMPATIBLE));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).get("error_code").asInt()).isEqualTo(409);
        assertThat(JSON.readTree(get("/subjects/greetings-value/versions").body())).isEqualTo(JSON.readTree("[1]"));
    }

    @Test
    void anInvalidSchemaIsUnprocessable() throws Exception {
        HttpResponse<String> response = post("/subjects/greetings-value/versions", schemaBody("{\"type\":\"record\"}"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("error_code").asInt()).isEqualTo(42201);
        assertThat(get("/subjects").body()).isEqualTo("[]");
    }

    @Test
    void aSchemaTypeOtherThanAvroIsUnprocessable() throws Exception {
        ObjectNode body = JSON.createObjectNode().put("schema", "syntax = \"proto3\";").put("schemaType", "PROTOBUF");

        HttpResponse<String> response = post("/subjects/greetings-value/versions", body.toString());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("PROTOBUF");
    }

    @Test
    void versionsOfUnknownSubjectsAndUnknownVersionsAreNotFound() throws Exception {
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));

        assertThat(errorCode(get("/subjects/nothing-value/versions"))).isEqualTo(40401);
        assertThat(errorCode(get("/subjects/nothing-value/versions/latest"))).isEqualTo(40401);
        assertThat(errorCode(get("/subjects/greetings-value/versions/7"))).isEqualTo(40402);
    }

    @Test
    void aVersionThatIsNotANumberIsUnprocessable() throws Exception {
        post("/subjects/greetings-value/versions", schemaBody(GREETING_V1));

        HttpResponse<String> response = get("/subjects/greetings-value/versions/first");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("error_code").asInt()).isEqualTo(42202);
    }

    @Test
    void subjectsAreListedInNameOrder() throws Exception {
        post("/subjects/zeta-value/versions", schemaBody(GREETING_V1));
        post("/subjects/alpha-value/versions", schemaBody(GREETING_V1));

        assertThat(JSON.readTree(get("/subjects").body())).isEqualTo(JSON.readTree("[\"alpha-value\",\"zeta-value\"]"));
    }

    @Test
    void subjectNamesAreDecodedFromThePath() throws Exception {
        post("/subjects/my%20topic%2Fv-value/versions", schemaBody(GREETING_V1));

        assertThat(JSON.readTree(get("/subjects").body())).isEqualTo(JSON.readTree("[\"my topic/v-value\"]"));
    }

    @Test
    void theCompatibilityLevelIsBackward() throws Exception {
        HttpResponse<String> response = get("/config");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"));
        assertThat(JSON.readTree(get("/config/greetings-value?defaultToGlobal=true").body()))
                .isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"));
        assertThat(errorCode(get("/config/greetings-value"))).isEqualTo(40408);
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheRegistryErrorFormat() throws Exception {
        HttpResponse<String> unknown = get("/nothing/here");
        HttpResponse<String> wrongMethod = post("/schemas/ids/1", "{}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo(404);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(errorCode(wrongMethod)).isEqualTo(405);
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() throws Exception {
        HttpResponse<String> response = post("/subjects/greetings-value/versions", "schema=please");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(400);
    }

    @Test
    void theProjectsSerdeRegistersAndReadsOverHttp() {
        Map<String, String> config = Map.of("schema.registry.url", server.url());
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId("e-1").setConversationId("c-1").setUserId("alice").setChannel("console")
                .setType(ChatEventType.MESSAGE).setText("where is my order 1001")
                .setOccurredAt(Instant.parse("2026-11-24T10:15:30Z"))
                .build();

        byte[] bytes;
        try (AvroSerde<ChatEvent> producerSide = AvroSerde.of(ChatEvent.class, config, false)) {
            bytes = producerSide.serializer().serialize("chat.events", event);
        }
        ChatEvent read;
        // A second serde has an empty cache: it must fetch the schema by id over HTTP.
        try (AvroSerde<ChatEvent> consumerSide = AvroSerde.of(ChatEvent.class, config, false)) {
            read = consumerSide.deserializer().deserialize("chat.events", bytes);
        }

        assertThat(read).isEqualTo(event);
        assertThat(server.registry().subjects()).containsExactly("chat.events-value");
    }

    @Test
    void registrationsSurviveARestartWithTheirIdsAndVersions(@TempDir Path data) throws Exception {
        server.close();
        SchemaJournal journal = SchemaJournal.inFile(data.resolve("registry/schemas.jsonl"));
        Map<String, String> config;
        byte[] bytes;
        ChatEvent event = ChatEvent.newBuilder()
                .setEventId("e-2").setConversationId("c-2").setUserId("bob").setChannel("console")
                .setType(ChatEventType.SESSION_START).setOccurredAt(Instant.parse("2026-11-24T10:15:30Z"))
                .build();
        try (EmbeddedSchemaRegistry before = EmbeddedSchemaRegistry.builder(InMemorySchemaRegistry.forScope(scope)).journal(journal).start()) {
            post(before, "/subjects/greetings-value/versions", schemaBody(GREETING_V1));
            post(before, "/subjects/greetings-value/versions", schemaBody(GREETING_V2));
            config = Map.of("schema.registry.url", before.url());
            try (AvroSerde<ChatEvent> serde = AvroSerde.of(ChatEvent.class, config, false)) {
                bytes = serde.serializer().serialize("chat.events", event);
            }
        }
        InMemorySchemaRegistry.dropScope(scope);

        try (EmbeddedSchemaRegistry after = EmbeddedSchemaRegistry.builder(InMemorySchemaRegistry.forScope(scope)).journal(journal).start()) {
            server = after;
            JsonNode latest = JSON.readTree(get("/subjects/greetings-value/versions/latest").body());
            assertThat(latest.get("version").asInt()).isEqualTo(2);
            assertThat(latest.get("id").asInt()).isEqualTo(2);
            try (AvroSerde<ChatEvent> serde = AvroSerde.of(ChatEvent.class, Map.of("schema.registry.url", after.url()), false)) {
                assertThat(serde.deserializer().deserialize("chat.events", bytes)).isEqualTo(event);
            }
        }
    }

    private static int errorCode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("error_code").asInt();
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", CONTENT_TYPE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(server, path, body);
    }

    private static HttpResponse<String> post(EmbeddedSchemaRegistry target, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(target.url() + path))
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
