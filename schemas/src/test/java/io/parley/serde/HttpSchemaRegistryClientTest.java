package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.schemas.ChatEvent;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String REGISTER = "POST /subjects/chat.events-value/versions";

    private final ObjectMapper json = new ObjectMapper();
    private RecordingRegistry registry;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = new RecordingRegistry();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private Map<String, Object> config(Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    @Test
    void serializingRegistersTheSchemaUnderTheValueSubjectAsTheRestApiDocuments() throws Exception {
        registry.answer(REGISTER, 200, "{\"id\":5}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(), false);

        byte[] bytes = serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(registry.received()).hasSize(1);
        RecordingRegistry.Received request = registry.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/subjects/chat.events-value/versions");
        assertThat(request.contentType()).isEqualTo(CONTENT_TYPE);
        JsonNode body = json.readTree(request.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("schema");
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(ChatEvent.getClassSchema());
        assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0, 0, 0, 0, 5);
    }

    @Test
    void aSecondSerializationOfTheSameSchemaDoesNotRegisterAgain() {
        registry.answer(REGISTER, 200, "{\"id\":5}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(), false);

        serializer.serialize("chat.events", SampleRecords.chatEvent());
        serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(registry.received()).hasSize(1);
    }

    @Test
    void deserializingFetchesTheWriterSchemaByIdOnce() throws Exception {
        String schemaBody = json.createObjectNode().put("schema", ChatEvent.getClassSchema().toString()).toString();
        registry.answer(REGISTER, 200, "{\"id\":9}").answer("GET /schemas/ids/9", 200, schemaBody);
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(), false);
        AvroDeserializer<ChatEvent> deserializer = new AvroDeserializer<>(ChatEvent.class);
        deserializer.configure(config(), false);
        byte[] bytes = serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(deserializer.deserialize("chat.events", bytes)).isEqualTo(SampleRecords.chatEvent());
        assertThat(deserializer.deserialize("chat.events", bytes)).isEqualTo(SampleRecords.chatEvent());

        assertThat(registry.received()).extracting(r -> r.method() + " " + r.path())
                .containsExactly(REGISTER, "GET /schemas/ids/9");
    }

    @Test
    void theSerdesOfOneTopicCatalogueShareOneClientAndItsCacheOfSchemas() {
        // Given a catalogue's serdes (a service's: each topic's, a store's), the registry answering only the registration
        registry.answer(REGISTER, 200, "{\"id\":9}");
        Topics topics = Topics.create(TopicNames.defaults(), config());

        // When one serde writes a chat event and another reads it
        byte[] bytes = topics.chatEvents().valueSerde().serializer().serialize("chat.events", SampleRecords.chatEvent());
        ChatEvent read = topics.valueSerde(ChatEvent.class).deserializer().deserialize("chat.events", bytes);

        // Then the reader knew schema 9 from the writer's registration: one request, where a client per serde made two
        assertThat(read).isEqualTo(SampleRecords.chatEvent());
        assertThat(registry.received()).extracting(r -> r.method() + " " + r.path()).containsExactly(REGISTER);
    }

    @Test
    void aCataloguesSerdesKeepTheConfiguredWayOfFindingSchemaIds() {
        // Given a catalogue configured not to register schemas
        registry.answer("POST /subjects/chat.events-value", 200,
                "{\"subject\":\"chat.events-value\",\"id\":3,\"version\":1,\"schema\":\"\\\"string\\\"\"}");
        Topics topics = Topics.create(TopicNames.defaults(), config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));

        // When its chat event serde writes, then it looked the schema up instead
        byte[] bytes = topics.chatEvents().valueSerde().serializer().serialize("chat.events", SampleRecords.chatEvent());
        assertThat(registry.received()).extracting(RecordingRegistry.Received::path).containsExactly("/subjects/chat.events-value");
        assertThat(bytes[4]).isEqualTo((byte) 3);
    }

    @Test
    void withoutAutoRegistrationTheSchemaIsLookedUpUnderTheSubject() {
        registry.answer("POST /subjects/chat.events-value", 200,
                "{\"subject\":\"chat.events-value\",\"id\":3,\"version\":1,\"schema\":\"\\\"string\\\"\"}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);

        byte[] bytes = serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(registry.received()).extracting(RecordingRegistry.Received::path)
                .containsExactly("/subjects/chat.events-value");
        assertThat(bytes[4]).isEqualTo((byte) 3);
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsAClearError() {
        registry.answer("POST /subjects/chat.events-value", 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        assertThatThrownBy(() -> serializer.serialize("chat.events", SampleRecords.chatEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("chat.events-value")
                .hasMessageContaining("40403")
                .hasMessageContaining("auto.register.schemas is false");
    }

    @Test
    void useLatestVersionTakesTheIdOfTheLatestVersion() throws Exception {
        String latest = json.createObjectNode().put("subject", "chat.events-value").put("id", 11).put("version", 4)
                .put("schema", ChatEvent.getClassSchema().toString()).toString();
        registry.answer("GET /subjects/chat.events-value/versions/latest", 200, latest);
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true), false);

        byte[] bytes = serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(bytes[4]).isEqualTo((byte) 11);
    }

    @Test
    void basicAuthFromUserInfoIsSent() {
        registry.answer(REGISTER, 200, "{\"id\":1}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "reader:pa55"), false);

        serializer.serialize("chat.events", SampleRecords.chatEvent());

        String expected = "Basic " + Base64.getEncoder().encodeToString("reader:pa55".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.received().get(0).authorization()).isEqualTo(expected);
    }

    @Test
    void basicAuthFromTheUrlIsSentAndTheUrlIsUsedWithoutIt() {
        registry.answer(REGISTER, 200, "{\"id\":1}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                "http://reader:pa55@127.0.0.1:" + registry.port()), false);

        serializer.serialize("chat.events", SampleRecords.chatEvent());

        String expected = "Basic " + Base64.getEncoder().encodeToString("reader:pa55".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.received().get(0).authorization()).isEqualTo(expected);
    }

    @Test
    void aBearerTokenIsSent() {
        registry.answer(REGISTER, 200, "{\"id\":1}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.BEARER_AUTH_TOKEN, "tok-123"), false);

        serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(registry.received().get(0).authorization()).isEqualTo("Bearer tok-123");
    }

    @Test
    void anUnreachableRegistryIsNamedWithoutItsCredentials() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                "http://reader:canary-secret@127.0.0.1:" + closedPort), false);

        assertThatThrownBy(() -> serializer.serialize("chat.events", SampleRecords.chatEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unreachable at http://127.0.0.1:" + closedPort)
                .hasMessageContaining("chat.events-value")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("canary-secret"));
    }

    @Test
    void anIncompatibleSchemaAnswerSaysSo() {
        registry.answer(REGISTER, 409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(), false);

        assertThatThrownBy(() -> serializer.serialize("chat.events", SampleRecords.chatEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("incompatible with an earlier schema")
                .hasMessageContaining("chat.events-value");
    }

    @Test
    void anInvalidSchemaAnswerSaysSo() {
        registry.answer(REGISTER, 422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(config(), false);

        assertThatThrownBy(() -> serializer.serialize("chat.events", SampleRecords.chatEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("HTTP 422")
                .hasMessageContaining("error 42201")
                .hasMessageContaining("Invalid schema");
    }

    @Test
    void aSecondRegistryUrlIsTriedWhenTheFirstIsUnreachable() throws Exception {
        registry.answer(REGISTER, 200, "{\"id\":2}");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                "http://127.0.0.1:" + closedPort + "," + registry.url()), false);

        byte[] bytes = serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(bytes[4]).isEqualTo((byte) 2);
    }
}
