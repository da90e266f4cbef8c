package io.parley.serde;

import io.parley.serde.registry.SchemaRegistries;
import io.parley.serde.registry.SchemaRegistryClient;
import io.parley.serde.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Schema Registry wire format into generated Avro classes. The writer's
 * schema is fetched by id (and cached); data written with an older compatible schema is resolved
 * to the current class. Malformed input raises a {@link SerializationException} that says what
 * is wrong with it. Thread-safe.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Class<T> type;
    private SchemaRegistryClient registry;
    private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /**
     * For Kafka's reflective creation: the class to read into is the one named by the writer's
     * schema, as Confluent's specific reader does.
     */
    public AvroDeserializer() {
        this(null);
    }

    /** A deserializer into {@code type}; {@link #configure(Map, boolean)} must follow. */
    public AvroDeserializer(Class<T> type) {
        AvroTrust.ensureTrusted();
        this.type = type;
    }

    /** A deserializer into {@code type} on a given registry. */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this(type);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistries.fromConfig(new AvroSerdeConfig(configs));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int schemaId = WireFormat.readSchemaId(topic, buffer);
        DatumReader<T> reader = readersBySchemaId.computeIfAbsent(schemaId, id -> readerFor(topic, id));
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(data, buffer.position(), buffer.remaining(), null);
            return reader.read(null, decoder);
        } catch (Exception e) {
            // Avro reports a short or corrupt payload as EOF, index or negative-length errors.
            throw new SerializationException("Could not decode the Avro data of a record on topic " + topic
                    + " written with schema id " + schemaId + " (" + data.length + " bytes): payload truncated or corrupt ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private DatumReader<T> readerFor(String topic, int schemaId) {
        Schema writer;
        try {
            writer = registry.byId(schemaId);
        } catch (SchemaRegistryException e) {
            String what = e.isNotFound() ? "an unknown schema id " + schemaId : "schema id " + schemaId;
            throw new SerializationException("Record on topic " + topic + " names " + what + ": " + e.getMessage(), e);
        }
        Schema reader = readerSchema(topic, writer);
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }

    private Schema readerSchema(String topic, Schema writer) {
        if (type != null) {
            return SpecificData.get().getSchema(type);
        }
        Class<?> named = SpecificData.get().getClass(writer);
        if (named == null) {
            throw new SerializationException("Record on topic " + topic + " was written with schema "
                    + writer.getFullName() + ", for which no generated class is on the classpath");
        }
        return SpecificData.get().getSchema(named);
    }
}
