package io.parley.serde;

import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistries;
import io.parley.serde.registry.SchemaRegistryClient;
import io.parley.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes generated Avro records in the Schema Registry wire format, registering (or looking
 * up) the record's schema under {@code <topic>-value} or {@code <topic>-key}. Thread-safe.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean autoRegister;
    private boolean useLatestVersion;
    /** Schema ids by topic, then by schema: looked up for every record without building a subject name. */
    private final Map<String, Map<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective creation; {@link #configure(Map, boolean)} must follow. */
    public AvroSerializer() {
        AvroTrust.ensureTrusted();
    }

    /** A serializer on a given registry that registers schemas as needed. */
    public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
        this(registry, isKey, true, false);
    }

    /** A serializer on a given registry that registers schemas, or writes the latest version, as told. */
    public AvroSerializer(SchemaRegistryClient registry, boolean isKey, boolean autoRegister, boolean useLatestVersion) {
        this();
        this.registry = registry;
        this.isKey = isKey;
        this.autoRegister = autoRegister;
        this.useLatestVersion = useLatestVersion;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.registry = SchemaRegistries.fromConfig(config);
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.useLatestVersion = config.useLatestVersion();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = record.getSchema();
        // A null topic (allowed by the Serializer contract) is the subject "null-value", as it always was.
        int id = idsByTopic.computeIfAbsent(String.valueOf(topic), t -> new ConcurrentHashMap<>()).computeIfAbsent(schema,
                s -> schemaId(Subjects.subject(topic, isKey), s));
        try {
            ArrayBinaryEncoder encoder = new ArrayBinaryEncoder(256);
            encoder.writeRaw(WireFormat.header(id));
            writers.computeIfAbsent(schema, SpecificRecordWriter::new)
                    .write(record, encoder);
            return encoder.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not serialize a " + schema.getFullName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    private int schemaId(String subject, Schema schema) {
        try {
            if (useLatestVersion) {
                RegisteredSchema latest = registry.latest(subject);
                if (SchemaNormalization.parsingFingerprint64(latest.schema()) != SchemaNormalization.parsingFingerprint64(schema)) {
                    throw new SerializationException("use.latest.version is set, but the latest schema of subject " + subject
                            + " (version " + latest.version() + ", id " + latest.id() + ") is not the schema of "
                            + schema.getFullName() + " this application writes");
                }
                return latest.id();
            }
            if (autoRegister) {
                return registry.register(subject, schema);
            }
            return registry.idOf(subject, schema);
        } catch (SchemaRegistryException e) {
            String hint = !autoRegister && e.isNotFound()
                    ? " (auto.register.schemas is false, so the schema must be registered beforehand)"
                    : "";
            throw new SerializationException("Could not get a schema id for " + schema.getFullName() + " under subject "
                    + subject + ": " + e.getMessage() + hint, e);
        }
    }
}
