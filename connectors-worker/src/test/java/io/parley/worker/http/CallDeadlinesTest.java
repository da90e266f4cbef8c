package io.parley.worker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallDeadlinesTest {

    private final CallDeadlines deadlines = new CallDeadlines("shop-api");

    @AfterEach
    void stop() {
        deadlines.close();
        Thread.interrupted();
    }

    @Test
    void aCallStillWaitingWhenItsTimeIsUpIsInterrupted() {
        CountDownLatch neverAnswered = new CountDownLatch(1);
        try (CallDeadlines.Deadline deadline = deadlines.start(Duration.ofMillis(50))) {
            assertThatThrownBy(() -> neverAnswered.await(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(deadline.expired()).isTrue();
        }
    }

    @Test
    void aCallThatEndedInTimeIsNotInterruptedLater() {
        // A deadline long enough that no pause of a loaded machine lets it pass before the call ends,
        // and a watch that lasts past it: a timer that close() left running would interrupt within it.
        try (CallDeadlines.Deadline deadline = deadlines.start(Duration.ofSeconds(1))) {
            assertThat(deadline.expired()).isFalse();
        }

        await().pollInSameThread().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3))
                .until(() -> !Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptionThatCameAsTheCallEndedDoesNotOutliveIt() {
        CallDeadlines.Deadline deadline = deadlines.start(Duration.ofMillis(10));
        await().pollInSameThread().atMost(Duration.ofSeconds(2)).until(deadline::expired);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();

        deadline.close();

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
