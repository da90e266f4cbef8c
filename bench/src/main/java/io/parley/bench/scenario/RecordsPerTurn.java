package io.parley.bench.scenario;

import io.parley.bench.kafka.TopicRecords;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The records a phase's turns wrote, per turn: in total and per topic (the chat event, backend
 * request and response, reply, audit, and the processor's changelog and repartition topics).
 *
 * @param total records per turn over all topics
 * @param byTopic records per turn per topic, by topic name
 */
record RecordsPerTurn(double total, Map<String, Double> byTopic) {

    /**
     * Waits for the pipeline to finish what the phase started (its commits), then counts.
     *
     * @param before the end offsets taken just before the phase
     * @param turns the turns the phase sent, warm-up included (their records are in the count)
     */
    static RecordsPerTurn count(TopicRecords counter, Map<TopicPartition, Long> before, long turns, Duration commitInterval)
            throws InterruptedException {
        // Changelog and audit writes of the last turns go out by the next commit at the latest.
        Thread.sleep(commitInterval.multipliedBy(2).plusSeconds(1).toMillis());
        Map<String, Long> records = counter.recordsBetween(before, counter.endOffsets(), Duration.ofMinutes(2));
        Map<String, Double> byTopic = new LinkedHashMap<>();
        records.forEach((topic, count) -> byTopic.put(topic, (double) count / turns));
        return new RecordsPerTurn(records.values().stream().mapToLong(Long::longValue).sum() / (double) turns, byTopic);
    }
}
