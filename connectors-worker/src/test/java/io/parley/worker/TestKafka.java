package io.parley.worker;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;

/** The embedded broker of the worker's integration tests. */
final class TestKafka {

    private TestKafka() {
    }

    /**
     * A broker whose share groups heartbeat every 500 ms (instead of 5 s), so a new worker gets its
     * assignment, and the test its first response, without waiting seconds for the next heartbeat.
     */
    static EmbeddedKafkaCluster.Builder builder() {
        return EmbeddedKafkaCluster.builder()
                .brokerProperty("group.share.min.heartbeat.interval.ms", 500)
                .brokerProperty("group.share.heartbeat.interval.ms", 500);
    }

    static EmbeddedKafkaCluster start() {
        return builder().start();
    }
}
