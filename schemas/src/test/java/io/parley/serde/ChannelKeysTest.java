package io.parley.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.serde.registry.RegisteredSchema;
import io.parley.serde.registry.SchemaRegistryClient;
import io.parley.serde.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelKeysTest {

    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema ONE_STRING_RECORD = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Key\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

    private final String scope = "channel-keys-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void aPlainKeyIsReadAsUtf8() {
        assertThat(ChannelKeys.deserializer().deserialize("chat.events", "conv-1".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("conv-1");
    }

    @Test
    void aRegistryFramedAvroStringKeyIsReadAsTheStringItHolds() {
        // magic 0, schema id 7, zig-zag length 6 (12), "conv-1"
        byte[] framed = {0, 0, 0, 0, 7, 12, 'c', 'o', 'n', 'v', '-', '1'};

        assertThat(ChannelKeys.deserializer().deserialize("chat.events", framed)).isEqualTo("conv-1");
    }

    @Test
    void framedBytesThatAreNotExactlyOneAvroStringStayAsTheyWere() {
        byte[] tooLong = {0, 0, 0, 0, 7, 2, 'a', 'b'};
        byte[] negative = {0, 0, 0, 0, 7, 1, 'a'};

        assertThat(ChannelKeys.deserializer().deserialize("t", tooLong)).isEqualTo(new String(tooLong, StandardCharsets.UTF_8));
        assertThat(ChannelKeys.deserializer().deserialize("t", negative)).isEqualTo(new String(negative, StandardCharsets.UTF_8));
        assertThat(ChannelKeys.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void aKeyFramedWithTheRegisteredStringSchemaIsReadAsItsString() throws IOException {
        // Given the key schema a Confluent serializer registers for a string key
        int id = registry.register("chat.events-key", STRING);

        // When such a key is read, Then it is the conversation id
        assertThat(ChannelKeys.deserializer(() -> registry).deserialize("chat.events", framed(id, STRING, "conv-7")))
                .isEqualTo("conv-7");
    }

    @Test
    void aKeyFramedWithAnotherSchemaIsRefusedNamingTheIdAndTheType() throws IOException {
        // Given a key schema that is a record of one string: its bytes look exactly like an Avro string
        int id = registry.register("chat.events-key", ONE_STRING_RECORD);
        byte[] key = framed(id, ONE_STRING_RECORD, "conv-7");
        assertThat(ChannelKeys.framedAvroString(key)).isEqualTo("conv-7");

        // When it is read with the registry at hand, Then it is refused, with the reason
        Deserializer<String> keys = ChannelKeys.deserializer(() -> registry);
        assertThatThrownBy(() -> keys.deserialize("chat.events", key))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("chat.events")
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("a record schema")
                .hasMessageNotContaining("conv-7");
    }

    @Test
    void bytesFramedWithAnIdTheRegistryDoesNotKnowAreReadAsUtf8() {
        byte[] lookAlike = {0, 0, 0, 0, 99, 4, 'a', 'b'};

        assertThat(ChannelKeys.deserializer(() -> registry).deserialize("chat.events", lookAlike))
                .isEqualTo(new String(lookAlike, StandardCharsets.UTF_8));
    }

    @Test
    void whileTheRegistryIsUnreachableTheBytesDecideAndItIsAskedAgainLater() throws IOException {
        // Given a registry that cannot be reached
        AtomicInteger calls = new AtomicInteger();
        SchemaRegistryClient unreachable = new Unreachable(calls);
        Deserializer<String> keys = ChannelKeys.deserializer(() -> unreachable);
        byte[] key = framed(3, STRING, "conv-9");

        // When keys are read, Then a key that is exactly one Avro string is read as that string
        assertThat(keys.deserialize("chat.events", key)).isEqualTo("conv-9");
        assertThat(keys.deserialize("chat.events", key)).isEqualTo("conv-9");
        // And no answer was remembered from the failure
        assertThat(calls).hasValue(2);
    }

    @Test
    void theRegistryIsAskedOncePerSchemaIdAndNotForPlainKeys() throws IOException {
        int id = registry.register("chat.events-key", STRING);
        AtomicInteger asked = new AtomicInteger();
        Deserializer<String> keys = ChannelKeys.deserializer(() -> {
            asked.incrementAndGet();
            return registry;
        });

        keys.deserialize("chat.events", "plain".getBytes(StandardCharsets.UTF_8));
        keys.deserialize("chat.events", framed(id, STRING, "a"));
        keys.deserialize("chat.events", framed(id, STRING, "b"));

        assertThat(asked).hasValue(1);
    }

    private static byte[] framed(int id, Schema schema, String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        if (schema.getType() == Schema.Type.STRING) {
            new GenericDatumWriter<Object>(schema).write(value, encoder);
        } else {
            GenericData.Record record = new GenericData.Record(schema);
            record.put("id", value);
            new GenericDatumWriter<Object>(schema).write(record, encoder);
        }
        encoder.flush();
        return out.toByteArray();
    }

    /** A registry client whose every call fails as an unreachable registry's does. */
    private record Unreachable(AtomicInteger calls) implements SchemaRegistryClient {

        @Override
        public int register(String subject, Schema schema) {
            throw down();
        }

        @Override
        public int idOf(String subject, Schema schema) {
            throw down();
        }

        @Override
        public RegisteredSchema latest(String subject) {
            throw down();
        }

        @Override
        public Schema byId(int id) {
            calls.incrementAndGet();
            throw down();
        }

        private static SchemaRegistryException down() {
            return new SchemaRegistryException("registry unreachable", new ConnectException("refused"));
        }
    }
}
