package io.parley.processor.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.flow.TableDefinition;
import io.parley.serde.WireFormat;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How records of a table's topic become rows, per format. */
class TableRecordsTest {

    private static final String SCOPE = "table-records-test";
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(SCOPE);

    @AfterEach
    void drop() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void anAvroRecordIsReadWithItsWritersSchemaAsAJsonRow() throws IOException {
        // Given an Avro row written through the registry, with an optional field
        Schema schema = SchemaBuilder.record("Stock").namespace("shop").fields()
                .requiredString("sku").requiredString("name").requiredInt("level").optionalString("store").endRecord();
        GenericRecord row = new GenericData.Record(schema);
        row.put("sku", "MUG-01");
        row.put("name", "Blue mug");
        row.put("level", 12);
        row.put("store", "north");
        TableRecords records = new TableRecords(table(TableDefinition.TableFormat.AVRO), new AvroRows("shop.stock", registry));

        // When it is read
        TableChange change = records.read(bytes("MUG-01"), avro(schema, row));

        // Then it is the row, keyed by its key field
        assertThat(change).isInstanceOfSatisfying(TableChange.Upsert.class, upsert -> {
            assertThat(upsert.key()).isEqualTo("MUG-01");
            assertThat(upsert.row().path("level").asInt()).isEqualTo(12);
            assertThat(upsert.row().path("store").asText()).isEqualTo("north");
        });
    }

    @Test
    void bytesThatAreNotAvroAreSkipped() {
        TableRecords records = new TableRecords(table(TableDefinition.TableFormat.AVRO), new AvroRows("shop.stock", registry));

        assertThat(records.read(bytes("MUG-01"), bytes("{\"sku\":\"MUG-01\"}"))).isEqualTo(new TableChange.Skip("not-avro"));
    }

    @Test
    void anUnknownSchemaIdIsNotSkippedSilently() {
        TableRecords records = new TableRecords(table(TableDefinition.TableFormat.AVRO), new AvroRows("shop.stock", registry));
        byte[] value = new byte[] {0, 0, 0, 0x7f, 0x7f, 2};

        assertThatThrownBy(() -> records.read(bytes("MUG-01"), value)).isNotInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDebeziumEventWithoutEnvelopeIsReadToo() {
        TableRecords records = new TableRecords(table(TableDefinition.TableFormat.DEBEZIUM), AvroRowsUnused.INSTANCE);

        assertThat(records.read(null, bytes("{\"op\":\"u\",\"before\":null,\"after\":{\"sku\":\"MUG-01\",\"level\":3}}")))
                .isInstanceOfSatisfying(TableChange.Upsert.class, upsert -> assertThat(upsert.key()).isEqualTo("MUG-01"));
        assertThat(records.read(bytes("{\"sku\":\"MUG-01\"}"), bytes("{\"op\":\"d\",\"before\":null,\"after\":null}")))
                .isEqualTo(new TableChange.Delete("MUG-01"));
        assertThat(records.read(null, bytes("{\"op\":\"c\",\"after\":null}")))
                .isEqualTo(new TableChange.Skip("change-event-without-after"));
    }

    @Test
    void aNumericKeyFieldIsTheKeyAsText() {
        TableRecords records = new TableRecords(new TableDefinition("orders", "shop.orders", "orderId", TableDefinition.TableFormat.JSON,
                Map.of(), List.of()), AvroRowsUnused.INSTANCE);

        assertThat(records.read(null, bytes("{\"orderId\":1001}"))).isInstanceOfSatisfying(TableChange.Upsert.class,
                upsert -> assertThat(upsert.key()).isEqualTo("1001"));
        assertThat(records.read(bytes("1001"), null)).isEqualTo(new TableChange.Delete("1001"));
        assertThat(records.read(null, null)).isEqualTo(new TableChange.Skip("tombstone-without-key"));
        assertThat(records.read(null, bytes("[1,2]"))).isEqualTo(new TableChange.Skip("not-an-object"));
    }

    private static TableDefinition table(TableDefinition.TableFormat format) {
        return new TableDefinition("stock", "shop.stock", "sku", format, Map.of(), List.of("name"));
    }

    private byte[] avro(Schema schema, GenericRecord row) throws IOException {
        int id = registry.register("shop.stock-value", schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(row, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Formats other than avro never decode Avro. */
    private enum AvroRowsUnused implements java.util.function.Function<byte[], String> {
        INSTANCE;

        @Override
        public String apply(byte[] value) {
            throw new AssertionError("not an Avro table");
        }
    }
}
