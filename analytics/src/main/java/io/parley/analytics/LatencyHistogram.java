package io.parley.analytics;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Backend latencies of one connector in one bucket: an HdrHistogram (1 ms to 1 h, two significant digits), stored compressed. */
final class LatencyHistogram {

    static final long HIGHEST_MS = 3_600_000L;
    private static final int DIGITS = 2;

    private LatencyHistogram() {
    }

    static Histogram empty() {
        return new Histogram(1, HIGHEST_MS, DIGITS);
    }

    static Histogram decode(ByteBuffer bytes) {
        if (bytes == null || !bytes.hasRemaining()) {
            return empty();
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(bytes.duplicate(), HIGHEST_MS);
        } catch (DataFormatException e) {
            throw new IllegalStateException("A stored latency histogram cannot be read", e);
        }
    }

    static ByteBuffer encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        buffer.flip();
        buffer.limit(length);
        return buffer;
    }

    static void record(Histogram histogram, long millis) {
        histogram.recordValue(Math.min(HIGHEST_MS, Math.max(1, millis)));
    }
}
