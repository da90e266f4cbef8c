package io.parley.processor.tables;

import io.parley.serde.WireFormat;
import io.parley.serde.registry.SchemaRegistryClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Decodes an Avro value in the Schema Registry wire format with its writer's schema (no generated
 * class: a table's schema belongs to the system that writes it) and renders it as JSON, the form
 * rows are kept and templated in.
 */
final class AvroRows implements Function<byte[], String> {

    private final String topic;
    private final SchemaRegistryClient registry;
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();

    AvroRows(String topic, SchemaRegistryClient registry) {
        this.topic = topic;
        this.registry = registry;
    }

    /**
     * @throws IllegalArgumentException when the value is not Avro in the wire format; a registry that
     *     cannot be reached fails the table's thread instead (rows must not be skipped for that)
     */
    @Override
    public String apply(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        int schemaId;
        try {
            schemaId = WireFormat.readSchemaId(topic, buffer);
        } catch (SerializationException e) {
            throw new IllegalArgumentException("a record on " + topic + " is not in the registry's wire format", e);
        }
        GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(schemaId, id -> {
            Schema writer = registry.byId(id);
            return new GenericDatumReader<>(writer);
        });
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, buffer.position(), buffer.remaining(), null);
            return GenericData.get().toString(reader.read(null, decoder));
        } catch (IOException | RuntimeException e) {
            // Avro reports a short or corrupt payload as EOF, index or negative-length errors.
            throw new IllegalArgumentException("the Avro data of a record on " + topic + " is truncated or corrupt", e);
        }
    }
}
