package io.parley.bench.load;

import io.parley.schemas.ChatEvent;
import io.parley.topics.Topic;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Opens many sessions at once: one first message per conversation of a {@link Workload},
 * produced in one go with large batches and no wait for replies (a load phase would keep at most
 * its in-flight bound outstanding and read every reply, which at 100,000 sessions takes minutes).
 * Whether the processors have stored them is for the caller to wait for (their group's lag).
 */
public final class SessionSeeder {

    private static final int BATCH_BYTES = 1 << 20;

    private SessionSeeder() {
    }

    /**
     * Produces the first message of conversations {@code 0 .. sessions-1} of {@code workload} and
     * returns once the broker has acknowledged every one.
     *
     * @throws IllegalStateException when a record could not be produced (the first cause attached)
     */
    public static void produce(Map<String, Object> clientConfig, Topic<String, ChatEvent> events, Workload workload, int sessions,
                               Clock clock) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-session-seeder");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        TurnEvents turns = new TurnEvents(workload, new TurnIds(workload.conversationPrefix() + "seed"));
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, ChatEvent> producer = new KafkaProducer<>(config, new StringSerializer(), events.valueSerde().serializer())) {
            Instant now = clock.instant();
            for (int i = 0; i < sessions; i++) {
                producer.send(new ProducerRecord<>(events.name(), turns.key(i), turns.event(i, now)), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Seeding " + sessions + " sessions failed: " + failure.get().getMessage(), failure.get());
        }
    }
}
