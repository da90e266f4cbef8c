package io.parley.registry.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.serde.AvroSerde;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A JVM talking HTTP to the server and the JVM that started it, using the in-memory registry, see the same schemas. */
class EmbeddedSchemaRegistryTest {

    private static final String TOPIC = "chat.events";
    private static final ChatEvent EVENT = ChatEvent.newBuilder()
            .setEventId("e-1").setConversationId("c-1").setUserId("alice").setChannel("web")
            .setType(ChatEventType.MESSAGE).setText("where is my order 1001").setPayload(Map.of()).setLocale("en-GB")
            .setOccurredAt(Instant.parse("2026-11-24T05:00:00Z"))
            .build();

    private final String scope = "embedded-registry-test-" + UUID.randomUUID();
    private final EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.start(InMemorySchemaRegistry.forScope(scope));

    @AfterEach
    void stop() {
        server.close();
        InMemorySchemaRegistry.dropScope(scope);
    }

    private Serde<ChatEvent> overHttp() {
        return AvroSerde.of(ChatEvent.class, Map.of("schema.registry.url", server.url()), false);
    }

    private Serde<ChatEvent> inMemory() {
        return AvroSerde.of(ChatEvent.class, Map.of("schema.registry.url", "mock://" + scope), false);
    }

    @Test
    void anEventWrittenInTheStartingJvmIsReadOverHttp() {
        byte[] bytes = inMemory().serializer().serialize(TOPIC, EVENT);

        assertThat(overHttp().deserializer().deserialize(TOPIC, bytes)).isEqualTo(EVENT);
    }

    @Test
    void anEventWrittenOverHttpIsReadInTheStartingJvmUnderTheSameSchemaId() {
        byte[] overHttp = overHttp().serializer().serialize(TOPIC, EVENT);
        byte[] inMemory = inMemory().serializer().serialize(TOPIC, EVENT);

        assertThat(inMemory().deserializer().deserialize(TOPIC, overHttp)).isEqualTo(EVENT);
        assertThat(schemaId(overHttp)).isEqualTo(schemaId(inMemory));
    }

    @Test
    void anUnknownSchemaIdIsNotFound() {
        byte[] unknownId = {0, 0, 0, 0x7f, 0};

        assertThatThrownBy(() -> overHttp().deserializer().deserialize(TOPIC, unknownId))
                .hasStackTraceContaining("404");
    }

    @Test
    void anythingElseIsNotFound() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/nothing/here")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error_code\":404");
    }

    /** The id in the registry framing: a zero byte, then four bytes of id. */
    private static int schemaId(byte[] framed) {
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }
}
