package io.parley.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Schema Registry framing of a record: magic byte {@code 0x00}, the schema id as a 4-byte
 * big-endian integer, then the Avro binary encoding of the record.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** Writes the five header bytes for a schema id. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * Reads the schema id of a framed record and leaves the buffer at the start of the Avro data.
     *
     * @throws SerializationException when the record is too short or does not start with the magic byte
     */
    public static int readSchemaId(String topic, ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_LENGTH) {
            throw new SerializationException("Record on topic " + topic + " is too short for the Schema Registry wire format: "
                    + buffer.remaining() + " bytes, at least " + HEADER_LENGTH + " needed (magic byte and schema id)");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record on topic %s has unknown magic byte 0x%02x; the Schema Registry wire format starts with 0x00",
                    topic, magic));
        }
        return buffer.getInt();
    }
}
