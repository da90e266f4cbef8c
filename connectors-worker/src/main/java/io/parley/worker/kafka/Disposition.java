package io.parley.worker.kafka;

/** What became of a request record, deciding how it is acknowledged. */
public enum Disposition {
    /** Its response was produced and acknowledged by Kafka. */
    ANSWERED,
    /** It could not be read; it was written to the dead-letter topic. */
    DEAD_LETTERED,
    /** Its response (or dead letter) could not be produced: it must be delivered again. */
    NOT_SENT
}
