package io.parley.serde;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 */
public final class ChannelKeys {

    private static final int HEADER = 5;

    private ChannelKeys() {
    }

    /** Plain UTF-8 when writing; plain or registry-framed Avro {@code string} when reading. */
    public static Serde<String> serde() {
        return Serdes.serdeFrom(Serdes.String().serializer(), deserializer());
    }

    public static Deserializer<String> deserializer() {
        Deserializer<String> plain = Serdes.String().deserializer();
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            String framed = framedAvroString(data);
            return framed != null ? framed : plain.deserialize(topic, data);
        };
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
