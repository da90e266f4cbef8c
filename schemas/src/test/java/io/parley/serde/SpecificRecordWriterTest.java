package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The writer of generated records writes exactly what Avro's own writes, optional values set or not. */
class SpecificRecordWriterTest {

    @BeforeAll
    static void trustTheGeneratedClasses() {
        AvroTrust.ensureTrusted();
    }

    @Test
    void randomRecordsOfEverySchemaAreWrittenAsAvroWritesThem() throws IOException {
        Set<String> unionsInSchemas = new HashSet<>();
        for (Schema schema : SampleRecords.everySchema().stream().map(SpecificRecord::getSchema).toList()) {
            SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(schema, schema, SpecificData.getForSchema(schema));
            SpecificDatumWriter<SpecificRecord> avro = new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
            SpecificRecordWriter<SpecificRecord> ours = new SpecificRecordWriter<>(schema);
            for (Object random : new RandomData(GenericData.get(), schema, 60, schema.getFullName().hashCode())) {
                // Random values, read as the generated class: optional values set or null at random.
                byte[] generic = bytes(new GenericDatumWriter<>(schema, GenericData.get()), random);
                SpecificRecord record = reader.read(null, DecoderFactory.get().binaryDecoder(generic, null));

                assertThat(bytes(ours, record)).isEqualTo(bytes(avro, record));
            }
            unionsInSchemas.addAll(unionsOf(schema));
        }
        // Optional values of every kind were among them: strings, numbers, records, arrays.
        assertThat(unionsInSchemas).contains("null|string", "null|long", "null|Turn", "null|array");
    }

    @Test
    void unionsWithNullLastAndOfMoreThanTwoTypesAreWrittenAsAvroWritesThem() throws IOException {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Unions", "namespace": "io.parley.test", "fields": [
                  {"name": "nullLast", "type": ["string", "null"]},
                  {"name": "three", "type": ["null", "int", "string"]},
                  {"name": "twoNonNull", "type": ["int", "string"]}]}""");
        for (Object random : new RandomData(GenericData.get(), schema, 200, 7L)) {
            assertThat(bytes(new SpecificRecordWriter<>(schema), random))
                    .isEqualTo(bytes(new GenericDatumWriter<>(schema, GenericData.get()), random));
        }
    }

    @Test
    void theSampleRecordOfEverySchemaIsWrittenAsAvroWritesIt() throws IOException {
        for (SpecificRecord record : SampleRecords.everySchema()) {
            Schema schema = record.getSchema();
            assertThat(bytes(new SpecificRecordWriter<>(schema), record))
                    .isEqualTo(bytes(new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema)), record));
        }
    }

    private static <T> byte[] bytes(DatumWriter<T> writer, T value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** The unions anywhere in a schema, each as its branches' type names joined by '|'. */
    private static Set<String> unionsOf(Schema schema) {
        Set<String> unions = new HashSet<>();
        Set<String> visited = new HashSet<>();
        Deque<Schema> todo = new ArrayDeque<>(List.of(schema));
        while (!todo.isEmpty()) {
            Schema next = todo.pop();
            switch (next.getType()) {
                case RECORD -> {
                    if (visited.add(next.getFullName())) {
                        next.getFields().forEach(field -> todo.push(field.schema()));
                    }
                }
                case ARRAY -> todo.push(next.getElementType());
                case MAP -> todo.push(next.getValueType());
                case UNION -> {
                    unions.add(String.join("|", next.getTypes().stream().map(Schema::getName).toList()));
                    next.getTypes().forEach(todo::push);
                }
                default -> { }
            }
        }
        return unions;
    }
}
