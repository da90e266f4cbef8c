package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartTimelineTest {

    private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(100));

    @Test
    void eachStepSaysItsOwnDurationAndTheTimeSinceTheJvmStarted() {
        // Given a JVM that started 800 ms before the timeline
        StartTimeline timeline = new StartTimeline(nanos::get, 800);

        // When two steps end 200 ms and then 1.5 s later
        advanceMillis(200);
        String first = timeline.step("JVM in main");
        advanceMillis(1_500);
        String second = timeline.step("flows loaded");

        // Then the first counts from the JVM's start, the second from the first
        assertThat(first).isEqualTo("Start step 'JVM in main' took 1000 ms; 1000 ms since the JVM started");
        assertThat(second).isEqualTo("Start step 'flows loaded' took 1500 ms; 2500 ms since the JVM started");
    }

    @Test
    void aProcessorStartedInARunningJvmCountsItsFirstStepFromItsOwnStart() {
        // Given a JVM that has run for ten minutes when a processor is started in it
        StartTimeline timeline = StartTimeline.startingNow(nanos::get, 600_000);

        // When its first step ends 300 ms later
        advanceMillis(300);

        // Then the step took 300 ms, not ten minutes
        assertThat(timeline.step("flows loaded")).isEqualTo("Start step 'flows loaded' took 300 ms; 600300 ms since the JVM started");
    }

    @Test
    void theFirstRestoreAndTheFirstRunningAreStepsAndLaterOnesAreNot() {
        // Given a started timeline
        try (LogCapture log = LogCapture.atInfo(ParleyProcessor.class.getName())) {
            StartTimeline timeline = new StartTimeline(nanos::get, 0);

            // When the stores restore twice, the processor runs, then a later rebalance restores and runs again
            advanceMillis(100);
            timeline.restoreStarted();
            timeline.restored(40);
            timeline.restoreStarted();
            timeline.restored(2);
            advanceMillis(300);
            timeline.running();
            timeline.restoreStarted();
            timeline.restored(1_000);
            timeline.running();

            // Then the start has one restore step and one running step, with the start's restored records
            assertThat(log.messages()).containsExactly(
                    "Start step 'assignment received, first store restore started' took 100 ms; 100 ms since the JVM started",
                    "Start step 'running (42 records restored)' took 300 ms; 400 ms since the JVM started");
        }
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
