package io.parley.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.BinaryData;
import org.apache.avro.io.BinaryEncoder;

/**
 * Avro's binary encoding written straight into a growing byte array, for one record at a time. It
 * writes the same bytes as Avro's own encoders, faster: Avro's direct encoder goes through an
 * {@code OutputStream} call (a synchronized one, for a {@code ByteArrayOutputStream}) for every
 * value, and copies a string's characters one by one to find out whether it is ASCII, which took
 * about 3 % of the processor's stream thread in bench S2; {@link String#getBytes} answers that with
 * one vectorised check. Not thread-safe.
 */
final class ArrayBinaryEncoder extends BinaryEncoder {

    /** A long's zig-zag varint takes at most 10 bytes; an int's, 5. */
    private static final int MAX_VARINT_BYTES = 10;

    private byte[] buffer;
    private int position;

    ArrayBinaryEncoder(int initialCapacity) {
        this.buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** Writes bytes as they are, outside Avro's encoding (the wire format's header). */
    void writeRaw(byte[] bytes) {
        writeFixed(bytes, 0, bytes.length);
    }

    /** What was written so far, as a new array of exactly that length. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    @Override
    public void writeString(String string) {
        if (string.isEmpty()) {
            writeZero();
            return;
        }
        byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        writeFixed(utf8, 0, utf8.length);
    }

    @Override
    public void writeBoolean(boolean value) {
        ensure(1);
        buffer[position++] = (byte) (value ? 1 : 0);
    }

    @Override
    public void writeInt(int value) {
        ensure(MAX_VARINT_BYTES);
        position += BinaryData.encodeInt(value, buffer, position);
    }

    @Override
    public void writeLong(long value) {
        ensure(MAX_VARINT_BYTES);
        position += BinaryData.encodeLong(value, buffer, position);
    }

    @Override
    public void writeFloat(float value) {
        ensure(4);
        position += BinaryData.encodeFloat(value, buffer, position);
    }

    @Override
    public void writeDouble(double value) {
        ensure(8);
        position += BinaryData.encodeDouble(value, buffer, position);
    }

    @Override
    public void writeFixed(byte[] bytes, int start, int length) {
        ensure(length);
        System.arraycopy(bytes, start, buffer, position, length);
        position += length;
    }

    @Override
    protected void writeZero() {
        ensure(1);
        buffer[position++] = 0;
    }

    /** Nothing is held back: every value is in the array as soon as it is written. */
    @Override
    public int bytesBuffered() {
        return 0;
    }

    @Override
    public void flush() {
        // Nothing to flush: there is no stream behind the array.
    }

    private void ensure(int more) {
        int needed = position + more;
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
        }
    }
}
