package io.parley.e2e.load;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A test reader's deserializer that reads a record it cannot deserialize as {@code null} (and
 * counts it) instead of failing the poll: the chaos tests put malformed records on the topics the
 * load run tails, which the pipeline must send to its dead-letter topics, and the tails must go on.
 */
final class SkippingDeserializer<V> implements Deserializer<V> {

    private final Deserializer<V> delegate;
    private final AtomicLong skipped = new AtomicLong();

    SkippingDeserializer(Deserializer<V> delegate) {
        this.delegate = delegate;
    }

    @Override
    public V deserialize(String topic, byte[] data) {
        try {
            return delegate.deserialize(topic, data);
        } catch (SerializationException | IllegalArgumentException | IndexOutOfBoundsException e) {
            skipped.incrementAndGet();
            return null;
        }
    }

    long skipped() {
        return skipped.get();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
