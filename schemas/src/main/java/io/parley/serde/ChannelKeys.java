package io.parley.serde;

import io.parley.serde.registry.SchemaRegistryClient;
import io.parley.serde.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Keys of the topics channels write (chat events, notifications). Parley writes plain UTF-8, but
 * channels in Python, .NET or Go often serialise keys with a Schema Registry serializer and a
 * {@code "string"} schema: the registry framing (byte 0, a 4-byte schema id) and an Avro string
 * (a zig-zag varint length and UTF-8 bytes). Such a key is read as the string it holds; anything
 * else is read as UTF-8, as before, and a key that then is not what the topic promises is the
 * processor's to refuse. A plain key never starts with byte 0, so the two cannot be confused.
 *
 * <p>With a registry at hand, the schema id of a framed key is looked up once: a key framed with
 * a schema that is not {@code "string"} (a record that happens to hold one string, say) is refused
 * with a {@link SerializationException} naming the id and the type, so it reaches the dead-letter
 * topic with that reason; an id the registry does not know means the bytes were never a framed key
 * and they are read as UTF-8. While the registry cannot be reached, the bytes decide alone.
 */
public final class ChannelKeys {

    private static final int HEADER = WireFormat.HEADER_LENGTH;

    private ChannelKeys() {
    }

    /** Plain UTF-8 when writing; plain or registry-framed Avro {@code string} when reading, without a registry. */
    public static Serde<String> serde() {
        return serde(() -> null);
    }

    /**
     * Plain UTF-8 when writing; plain or registry-framed Avro {@code string} when reading, the
     * framed key's schema checked with the registry the supplier gives (asked only when a framed
     * key arrives; it may give null: no registry).
     */
    public static Serde<String> serde(Supplier<SchemaRegistryClient> registry) {
        return Serdes.serdeFrom(Serdes.String().serializer(), deserializer(registry));
    }

    public static Deserializer<String> deserializer() {
        return deserializer(() -> null);
    }

    public static Deserializer<String> deserializer(Supplier<SchemaRegistryClient> registry) {
        return new KeyDeserializer(registry);
    }

    /** What the registry said about a schema id framing a key. */
    private enum KeySchema {
        STRING, NOT_STRING, UNKNOWN_ID
    }

    private static final class KeyDeserializer implements Deserializer<String> {

        private final Supplier<SchemaRegistryClient> registry;
        private final Deserializer<String> plain = Serdes.String().deserializer();
        /** Definite answers only (schema ids never change meaning); an unreachable registry is asked again. */
        private final Map<Integer, KeySchema> schemas = new ConcurrentHashMap<>();
        /** Why a schema id that is not "string" is refused, kept for the exception message. */
        private final Map<Integer, String> refusedTypes = new ConcurrentHashMap<>();

        KeyDeserializer(Supplier<SchemaRegistryClient> registry) {
            this.registry = registry;
        }

        @Override
        public String deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            String framed = framedAvroString(data);
            if (framed == null) {
                return plain.deserialize(topic, data);
            }
            int schemaId = ByteBuffer.wrap(data, 1, 4).getInt();
            return switch (schemaOf(schemaId)) {
                case STRING -> framed;
                case UNKNOWN_ID -> plain.deserialize(topic, data);
                case NOT_STRING -> throw new SerializationException("The key of a record on topic " + topic
                        + " is registry-framed with schema id " + schemaId + ", a " + refusedTypes.get(schemaId)
                        + " schema; keys must be a plain UTF-8 string or an Avro \"string\"");
            };
        }

        private KeySchema schemaOf(int schemaId) {
            KeySchema known = schemas.get(schemaId);
            if (known != null) {
                return known;
            }
            SchemaRegistryClient client = registry.get();
            if (client == null) {
                return KeySchema.STRING;
            }
            try {
                Schema schema = client.byId(schemaId);
                KeySchema answer = schema.getType() == Schema.Type.STRING ? KeySchema.STRING : KeySchema.NOT_STRING;
                if (answer == KeySchema.NOT_STRING) {
                    refusedTypes.put(schemaId, schema.getType().getName());
                }
                schemas.put(schemaId, answer);
                return answer;
            } catch (SchemaRegistryException e) {
                if (e.isNotFound()) {
                    schemas.put(schemaId, KeySchema.UNKNOWN_ID);
                    return KeySchema.UNKNOWN_ID;
                }
                // Unreachable or failing: the bytes are exactly one Avro string, which is what they say.
                return KeySchema.STRING;
            }
        }
    }

    /** The string a registry-framed Avro string key holds, or null when the bytes are not exactly one. */
    static String framedAvroString(byte[] data) {
        if (data.length < HEADER + 1 || data[0] != WireFormat.MAGIC_BYTE) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, HEADER, data.length - HEADER);
        long zigzag = 0;
        int shift = 0;
        while (true) {
            if (!buffer.hasRemaining() || shift > 28) {
                return null;
            }
            byte next = buffer.get();
            zigzag |= (long) (next & 0x7F) << shift;
            shift += 7;
            if ((next & 0x80) == 0) {
                break;
            }
        }
        long length = (zigzag >>> 1) ^ -(zigzag & 1);
        if (length < 0 || length != buffer.remaining()) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buffer).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
