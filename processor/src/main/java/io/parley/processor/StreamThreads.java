package io.parley.processor;

import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How many stream threads a processor runs when its {@code kafka:} section sets no {@code num.stream.threads}.
 *
 * <p>Under exactly-once a stream thread commits a transaction every 25 ms and processes nothing while the commit
 * waits for the broker (the offsets, then a marker on every partition it wrote to). A second thread on a second core
 * processes while the first one waits: bench S2 on 2 cores (2026-12-06, two runs each) answered 2,045–2,327 turns/s
 * with two threads against 1,481–1,531 with one, and at 1,000 turns/s its p99 was 187–462 ms against 542–912 ms
 * (docs/performance.md, "Stream threads").
 * Under at_least_once the thread commits once a second and does not stop for it; a second thread on the same two
 * cores gave no more turns a second (1,583–2,092 against 1,712–2,034) and a worse p99 at 1,000 turns/s (240–379 ms
 * against 139–146 ms), so it keeps Kafka Streams' one. A thread beyond the conversation partitions would hold no
 * conversation task.
 */
public final class StreamThreads {

    private StreamThreads() {
    }

    /**
     * The stream threads of a processor with this guarantee on {@code cores} (the JVM's available processors, which
     * follow a container's CPU limit) when {@code chat.events} has {@code conversationPartitions} partitions.
     */
    public static int byDefault(boolean exactlyOnce, int cores, int conversationPartitions) {
        if (!exactlyOnce) {
            return 1;
        }
        return Math.max(1, Math.min(cores, conversationPartitions));
    }

    /**
     * Sets {@code num.stream.threads} in {@code streamsProperties} (the processor's, with its {@code kafka:} section
     * merged in) to {@link #byDefault} unless the {@code kafka:} section chose it (Kafka Streams checks that value).
     *
     * @return the threads set; empty when the {@code kafka:} section chose
     */
    static OptionalInt applyDefault(Map<String, Object> streamsProperties, Map<String, String> kafkaSection, int cores,
                                    int conversationPartitions) {
        if (kafkaSection.containsKey(StreamsConfig.NUM_STREAM_THREADS_CONFIG)) {
            return OptionalInt.empty();
        }
        int threads = byDefault(!ProcessorWiring.atLeastOnce(streamsProperties), cores, conversationPartitions);
        streamsProperties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        return OptionalInt.of(threads);
    }
}
