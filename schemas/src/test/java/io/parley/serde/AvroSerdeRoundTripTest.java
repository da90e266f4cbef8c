package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.ChatEvent;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeRoundTripTest {

    private final String scope = "round-trip-" + UUID.randomUUID();
    private final Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    static Stream<SpecificRecord> everySchema() {
        return SampleRecords.everySchema().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySchema")
    <T extends SpecificRecord> void everySchemaSurvivesARoundTripThroughTheMockRegistry(T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        try (AvroSerde<T> serde = AvroSerde.of(type, config, false)) {
            byte[] bytes = serde.serializer().serialize("some.topic", record);

            T read = serde.deserializer().deserialize("some.topic", bytes);

            assertThat(read).isEqualTo(record);
        }
    }

    @Test
    void schemasAreRegisteredUnderTheTopicNameSubjects() {
        try (AvroSerde<ChatEvent> values = AvroSerde.of(ChatEvent.class, config, false);
             AvroSerde<ChatEvent> keys = AvroSerde.of(ChatEvent.class, config, true)) {
            values.serializer().serialize("chat.events", SampleRecords.chatEvent());
            keys.serializer().serialize("chat.events", SampleRecords.chatEvent());
        }

        assertThat(InMemorySchemaRegistry.forScope(scope).subjects())
                .containsExactly("chat.events-key", "chat.events-value");
    }

    @Test
    void aSerdeCreatedByKafkaReflectivelyReadsIntoTheClassNamedByTheWriterSchema() {
        try (AvroSerde<ChatEvent> typed = AvroSerde.of(ChatEvent.class, config, false);
             AvroSerde<SpecificRecord> reflective = new AvroSerde<>()) {
            reflective.configure(config, false);
            byte[] bytes = typed.serializer().serialize("chat.events", SampleRecords.chatEvent());

            SpecificRecord read = reflective.deserializer().deserialize("chat.events", bytes);

            assertThat(read).isEqualTo(SampleRecords.chatEvent());
        }
    }

    @Test
    void nullStaysNull() {
        try (AvroSerde<ChatEvent> serde = AvroSerde.of(ChatEvent.class, config, false)) {
            assertThat(serde.serializer().serialize("chat.events", null)).isNull();
            assertThat(serde.deserializer().deserialize("chat.events", null)).isNull();
        }
    }
}
