package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.ChatEvent;
import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    /** A registry that hands out one fixed id, so the header bytes can be computed by hand. */
    private static final class FixedIdRegistry implements SchemaRegistryClient {
        private final int id;

        FixedIdRegistry(int id) {
            this.id = id;
        }

        @Override
        public int register(String subject, Schema schema) {
            return id;
        }

        @Override
        public int idOf(String subject, Schema schema) {
            return id;
        }

        @Override
        public RegisteredSchema latest(String subject) {
            return new RegisteredSchema(subject, 1, id, ChatEvent.getClassSchema());
        }

        @Override
        public Schema byId(int requested) {
            return ChatEvent.getClassSchema();
        }
    }

    @Test
    void theFirstFiveBytesAreTheMagicByteAndTheBigEndianSchemaId() {
        // 0x01020304 = 16909060: each byte of the id is distinct, so a wrong byte order shows.
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>(new FixedIdRegistry(16_909_060), false);

        byte[] bytes = serializer.serialize("chat.events", SampleRecords.chatEvent());

        assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
    }

    @Test
    void afterTheHeaderComesThePlainAvroBinaryEncoding() throws Exception {
        AvroSerializer<ChatEvent> serializer = new AvroSerializer<>(new FixedIdRegistry(7), false);
        ChatEvent event = SampleRecords.chatEvent();

        byte[] bytes = serializer.serialize("chat.events", event);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
        new SpecificDatumWriter<>(ChatEvent.class).write(event, encoder);
        encoder.flush();
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(expected.toByteArray());
    }
}
