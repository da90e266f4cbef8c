package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.ChatEvent;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MalformedPayloadTest {

    private final String scope = "malformed-" + UUID.randomUUID();
    private final AvroSerde<ChatEvent> serde =
            AvroSerde.of(ChatEvent.class, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);

    @AfterEach
    void dropRegistry() {
        serde.close();
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void aWrongMagicByteIsNamed() {
        byte[] json = "{\"eventId\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("chat.events", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x7b")
                .hasMessageContaining("chat.events");
    }

    @Test
    void aRecordShorterThanTheHeaderIsNamed() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("chat.events", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("too short")
                .hasMessageContaining("3 bytes");
    }

    @Test
    void aTruncatedBodyIsReportedAsTruncatedNotAsAnIndexError() {
        byte[] whole = serde.serializer().serialize("chat.events", SampleRecords.chatEvent());
        byte[] truncated = Arrays.copyOf(whole, whole.length - 12);

        assertThatThrownBy(() -> serde.deserializer().deserialize("chat.events", truncated))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated or corrupt")
                .hasMessageContaining("schema id 1");
    }

    @Test
    void anUnknownSchemaIdIsNamed() {
        byte[] unknownId = {0, 0, 0, 0x30, 0x39, 2, 'h', 'i'};

        assertThatThrownBy(() -> serde.deserializer().deserialize("chat.events", unknownId))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id 12345");
    }
}
