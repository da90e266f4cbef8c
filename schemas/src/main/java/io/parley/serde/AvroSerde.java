package io.parley.serde;

import io.parley.serde.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for generated Avro records in the Schema Registry wire format; a drop-in counterpart of
 * Confluent's {@code SpecificAvroSerde}, configured with the same keys (see {@link AvroSerdeConfig}).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** For Kafka's reflective creation; {@link #configure(Map, boolean)} must follow. */
    public AvroSerde() {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
    }

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A configured serde for values (or keys) of {@code type}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Map<String, ?> config, boolean isKey) {
        AvroSerde<T> serde = new AvroSerde<>(new AvroSerializer<>(), new AvroDeserializer<>(type));
        serde.configure(config, isKey);
        return serde;
    }

    /**
     * A serde configured from {@code config} (whether it registers schemas, or writes the latest version) but on a
     * given registry client, so that serdes of one service share the client and its cache of schema ids.
     */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Map<String, ?> config, SchemaRegistryClient registry,
                                                             boolean isKey) {
        AvroSerdeConfig settings = new AvroSerdeConfig(config);
        return new AvroSerde<>(new AvroSerializer<>(registry, isKey, settings.autoRegisterSchemas(), settings.useLatestVersion()),
                new AvroDeserializer<>(type, registry));
    }

    /** A serde on a given registry client that registers schemas as needed (tests, embedding). */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        return new AvroSerde<>(new AvroSerializer<>(registry, isKey), new AvroDeserializer<>(type, registry));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
