package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The array encoder writes exactly the bytes Avro's own binary encoder writes. */
class ArrayBinaryEncoderTest {

    private interface Writes {
        void to(Encoder encoder) throws IOException;
    }

    @Property(tries = 2000)
    void anyStringAsAvroWritesIt(@ForAll("anyText") String text) throws IOException {
        assertSameBytes(encoder -> encoder.writeString(text));
    }

    @Provide
    Arbitrary<String> anyText() {
        // Every char, unpaired surrogates included (both encoders write those as '?'), and ASCII, the common case.
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300), Arbitraries.strings().ascii().ofMaxLength(300));
    }

    @Property(tries = 1000)
    void numbersAndBytesAsAvroWritesThem(@ForAll int i, @ForAll long l, @ForAll float f, @ForAll double d, @ForAll boolean b,
                                         @ForAll byte[] bytes) throws IOException {
        assertSameBytes(encoder -> {
            encoder.writeInt(i);
            encoder.writeLong(l);
            encoder.writeFloat(f);
            encoder.writeDouble(d);
            encoder.writeBoolean(b);
            encoder.writeBytes(bytes);
            encoder.writeBytes(ByteBuffer.wrap(bytes));
            encoder.writeFixed(bytes);
            encoder.writeEnum(i & 0xff);
            encoder.writeIndex(i & 0x0f);
            encoder.writeNull();
        });
    }

    @Test
    void randomRecordsOfEverySchemaAsAvroWritesThem() throws IOException {
        List<Schema> schemas = SampleRecords.everySchema().stream().map(SpecificRecord::getSchema).toList();
        for (Schema schema : schemas) {
            GenericDatumWriter<Object> writer = new GenericDatumWriter<>(schema, GenericData.get());
            for (Object record : new RandomData(GenericData.get(), schema, 40, schema.getFullName().hashCode())) {
                assertSameBytes(encoder -> writer.write(record, encoder));
            }
        }
    }

    @Test
    void growsPastItsInitialCapacity() throws IOException {
        String longText = "x".repeat(10_000) + "é".repeat(3_000);
        assertSameBytes(encoder -> {
            for (int i = 0; i < 100; i++) {
                encoder.writeLong(Long.MIN_VALUE + i);
            }
            encoder.writeString(longText);
        });
    }

    @Test
    void rawBytesGoInFrontOfTheEncoding() throws IOException {
        ArrayBinaryEncoder encoder = new ArrayBinaryEncoder(1);
        encoder.writeRaw(WireFormat.header(300));
        encoder.writeString("hi");

        assertThat(encoder.toByteArray()).containsExactly(0, 0, 0, 1, 44, 4, 'h', 'i');
    }

    private static void assertSameBytes(Writes writes) throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(expected, null);
        writes.to(avro);
        avro.flush();
        ArrayBinaryEncoder encoder = new ArrayBinaryEncoder(16);
        writes.to(encoder);
        encoder.flush();
        assertThat(encoder.toByteArray()).isEqualTo(expected.toByteArray());
    }
}
