package io.parley.processor.conversation;

import io.parley.schemas.state.Session;
import io.parley.serde.UnionBranches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/** How many bytes a session takes as a record value (Avro binary, plus the registry framing's 5 bytes). */
final class SessionSize {

    /** The registry wire format's magic byte and schema id. */
    private static final int FRAMING = 5;
    /** The longest zig-zag varint Avro writes for an int (lengths, union branches, enum symbols). */
    private static final int MAX_INT_BYTES = 5;
    /** The longest varint for a long (timestamps, array and map block counts). */
    private static final int MAX_LONG_BYTES = 10;
    /** UTF-8 needs at most 3 bytes per UTF-16 char (a surrogate pair, 2 chars, takes 4). */
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;

    private SessionSize() {
    }

    /**
     * Whether the session takes at most {@code maxBytes}. Encoding a session only to measure it cost as much as
     * storing it (bench S2 profile), so a bound is computed first from the values' lengths, without encoding; only a
     * session whose bound is over the limit is encoded. The answer is the same as comparing {@link #bytes}.
     */
    static boolean fits(Session session, int maxBytes) {
        return upperBound(session) <= maxBytes || bytes(session) <= maxBytes;
    }

    static int bytes(Session session) {
        try {
            // Single-object encoding: Avro binary behind a 10-byte header, a little more than the framing's 5.
            return session.toByteBuffer().remaining() - 10 + FRAMING;
        } catch (IOException e) {
            throw new UncheckedIOException("a session could not be encoded to measure it", e);
        }
    }

    /** At least {@link #bytes}: every value counted at the most bytes Avro's binary encoding can give it. */
    static long upperBound(Session session) {
        return FRAMING + bound(session.getSchema(), session);
    }

    private static long bound(Schema schema, Object value) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case BOOLEAN -> 1;
            case INT, ENUM -> MAX_INT_BYTES;
            case LONG -> MAX_LONG_BYTES;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> schema.getFixedSize();
            case STRING -> MAX_INT_BYTES + (long) MAX_UTF8_BYTES_PER_CHAR * value.toString().length();
            case BYTES -> MAX_INT_BYTES + ((ByteBuffer) value).remaining();
            case RECORD -> record(schema, (IndexedRecord) value);
            case ARRAY -> array(schema.getElementType(), (Collection<?>) value);
            case MAP -> map(schema.getValueType(), (Map<?, ?>) value);
            case UNION -> MAX_INT_BYTES + bound(branch(schema, value), value);
        };
    }

    private static long record(Schema schema, IndexedRecord value) {
        long total = 0;
        for (Schema.Field field : schema.getFields()) {
            total += bound(field.schema(), value.get(field.pos()));
        }
        return total;
    }

    /** A block count, the items, the closing zero; empty: one zero. */
    private static long array(Schema items, Collection<?> values) {
        long total = MAX_LONG_BYTES + 1;
        for (Object item : values) {
            total += bound(items, item);
        }
        return total;
    }

    private static long map(Schema values, Map<?, ?> entries) {
        long total = MAX_LONG_BYTES + 1;
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            total += MAX_INT_BYTES + (long) MAX_UTF8_BYTES_PER_CHAR * entry.getKey().toString().length()
                    + bound(values, entry.getValue());
        }
        return total;
    }

    /** The branch Avro's writer puts the value in. */
    private static Schema branch(Schema union, Object value) {
        return union.getTypes().get(UnionBranches.index(union, value, SpecificData.get()));
    }
}
