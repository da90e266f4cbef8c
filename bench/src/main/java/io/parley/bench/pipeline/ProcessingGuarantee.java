package io.parley.bench.pipeline;

/** The Kafka Streams processing guarantee a scenario runs under, with its config value. */
public enum ProcessingGuarantee {
    AT_LEAST_ONCE("at_least_once"),
    EXACTLY_ONCE_V2("exactly_once_v2");

    private final String configValue;

    ProcessingGuarantee(String configValue) {
        this.configValue = configValue;
    }

    /** The value of {@code processing.guarantee}. */
    public String configValue() {
        return configValue;
    }
}
