package io.parley.processor.ops;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Keeps dead-letter records within {@code limits.maxDeadLetterBytes}. A refused input can be as
 * large as its topic allowed (a 1 MiB text arrives compressed), and its dead-letter copy, written
 * uncompressed with error headers, would then be refused by Kafka in turn. A record over the bound
 * keeps the error headers, the first bytes of its key and value, and a header saying how large
 * they were; the channel's own headers are left out.
 */
public final class DeadLetterBounds {

    /** The Streams configuration entry holding the bound, in bytes. */
    public static final String MAX_BYTES_CONFIG = "parley.dead.letter.max.bytes";
    /** The header of a cut record: the original key, value and headers sizes ({@code key=12,value=1048576,headers=0}). */
    public static final String TRUNCATED_HEADER = "parley.errors.truncated";

    static final int DEFAULT_MAX_BYTES = 256 << 10;
    private static final String STREAMS_ERROR_HEADERS = "__streams.errors.";
    /** Room for the error headers (the stack trace header is cut to fit) and the record's framing. */
    private static final int HEADROOM = 16 << 10;
    private static final int MAX_KEY_BYTES = 1 << 10;

    private final int maxBytes;

    DeadLetterBounds(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The bound configured in the Streams properties, or the default. */
    static DeadLetterBounds from(Map<String, ?> configs) {
        Object configured = configs.get(MAX_BYTES_CONFIG);
        return new DeadLetterBounds(configured instanceof Number number ? number.intValue() : DEFAULT_MAX_BYTES);
    }

    List<ProducerRecord<byte[], byte[]>> apply(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(this::apply).toList();
    }

    ProducerRecord<byte[], byte[]> apply(ProducerRecord<byte[], byte[]> record) {
        int keySize = size(record.key());
        int valueSize = size(record.value());
        int headersSize = 0;
        for (Header header : record.headers()) {
            headersSize += header.key().length() + size(header.value());
        }
        if (keySize + valueSize + headersSize <= maxBytes) {
            return record;
        }
        RecordHeaders headers = new RecordHeaders();
        int errorBytes = 0;
        int errorBudget = HEADROOM / 2;
        for (Header header : record.headers()) {
            if (header.key().startsWith(STREAMS_ERROR_HEADERS)) {
                byte[] value = header.value() == null ? null
                        : Arrays.copyOf(header.value(), Math.min(header.value().length, Math.max(0, errorBudget - errorBytes)));
                errorBytes += size(value);
                headers.add(header.key(), value);
            }
        }
        headers.add(TRUNCATED_HEADER, ("key=" + keySize + ",value=" + valueSize + ",headers=" + headersSize)
                .getBytes(StandardCharsets.UTF_8));
        byte[] key = record.key() == null ? null : Arrays.copyOf(record.key(), Math.min(keySize, MAX_KEY_BYTES));
        int valueRoom = Math.max(0, maxBytes - HEADROOM - size(key));
        byte[] value = record.value() == null ? null : Arrays.copyOf(record.value(), Math.min(valueSize, valueRoom));
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), key, value, headers);
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
