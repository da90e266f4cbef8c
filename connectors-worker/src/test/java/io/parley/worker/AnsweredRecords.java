package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * Waits for a worker's count of answered records. The count moves when the producer's send of a response
 * completes, which may come after the response is already readable: a test that has read every response
 * waits for the count rather than reading it at once.
 */
final class AnsweredRecords {

    private static final Duration AT_MOST = Duration.ofSeconds(10);

    private AnsweredRecords() {
    }

    /** Waits until the worker has counted exactly {@code expected} answered records (at most 10 s). */
    static void awaitCount(ConnectorWorker worker, long expected) {
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(worker.metrics().answeredCount()).isEqualTo((double) expected));
    }

    /** Waits until the worker has counted at least one answered record (at most 10 s). */
    static void awaitSome(ConnectorWorker worker) {
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(worker.metrics().answeredCount()).isPositive());
    }
}
