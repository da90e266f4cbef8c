package io.parley.bench.pipeline;

import java.time.Duration;

/** The Kafka Streams processing guarantee a scenario runs under, with its config value. */
public enum ProcessingGuarantee {
    /** The processor commits every second under at-least-once unless told otherwise (Kafka Streams: 30 s). */
    AT_LEAST_ONCE("at_least_once", Duration.ofSeconds(1)),
    /** The processor commits every 25 ms under exactly-once unless told otherwise (Kafka Streams: 100 ms). */
    EXACTLY_ONCE_V2("exactly_once_v2", Duration.ofMillis(25));

    private final String configValue;
    private final Duration defaultCommitInterval;

    ProcessingGuarantee(String configValue, Duration defaultCommitInterval) {
        this.configValue = configValue;
        this.defaultCommitInterval = defaultCommitInterval;
    }

    /** The processor's commit interval under this guarantee when processor.yaml sets none. */
    public Duration defaultCommitInterval() {
        return defaultCommitInterval;
    }

    /** The value of {@code processing.guarantee}. */
    public String configValue() {
        return configValue;
    }
}
