package io.parley.processor.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the ordered time indexes ({@code deadlines}, {@code session-expiry}): the due time as
 * 8 big-endian bytes, then a reference in UTF-8. RocksDB orders keys bytewise, so keys sort by due
 * time, and "everything due by now" is one range scan that touches due entries only.
 *
 * @param dueMillis when the entry is due (epoch millis, not negative)
 * @param reference what is due, unique per entry
 */
public record TimeIndexKey(long dueMillis, String reference) {

    private static final int TIME_BYTES = Long.BYTES;

    public TimeIndexKey {
        if (dueMillis < 0) {
            throw new IllegalArgumentException("due time before 1970: " + dueMillis);
        }
    }

    public Bytes toBytes() {
        byte[] ref = reference.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(TIME_BYTES + ref.length).putLong(dueMillis).put(ref).array());
    }

    public static TimeIndexKey fromBytes(Bytes key) {
        ByteBuffer buffer = ByteBuffer.wrap(key.get());
        long due = buffer.getLong();
        return new TimeIndexKey(due, StandardCharsets.UTF_8.decode(buffer).toString());
    }

    /** The lowest possible key. */
    public static Bytes lowest() {
        return Bytes.wrap(new byte[TIME_BYTES]);
    }

    /**
     * An upper bound (inclusive) for "due at or before {@code millis}": the bare time prefix of the
     * next millisecond sorts after every key due at {@code millis} and before every key due later.
     */
    public static Bytes dueBy(long millis) {
        return Bytes.wrap(ByteBuffer.allocate(TIME_BYTES).putLong(millis + 1).array());
    }
}
