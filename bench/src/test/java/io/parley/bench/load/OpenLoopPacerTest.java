package io.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopPacerTest {

    private static final long START = 5_000_000_000L;

    /** A clock that stands still unless told otherwise, and remembers every wait asked of it. */
    private static final class ManualTimer implements NanoTimer {
        long now;
        final List<Long> waitedUntil = new ArrayList<>();

        ManualTimer(long now) {
            this.now = now;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            waitedUntil.add(deadlineNanos);
            now = Math.max(now, deadlineNanos);
        }
    }

    @Test
    void sendsAreDueAtEvenIntervalsOfTheOfferedRate() {
        // Given 1,000 sends per second
        OpenLoopPacer pacer = new OpenLoopPacer(1_000, START, new ManualTimer(START));

        // Then send n is due n milliseconds after the start
        assertThat(pacer.dueNanos(0)).isEqualTo(START);
        assertThat(pacer.dueNanos(1)).isEqualTo(START + 1_000_000);
        assertThat(pacer.dueNanos(250)).isEqualTo(START + 250_000_000);
    }

    @Test
    void aLongRunDoesNotDriftFromItsSchedule() {
        // Given a rate whose period is not a whole number of nanoseconds
        OpenLoopPacer pacer = new OpenLoopPacer(3, START, new ManualTimer(START));

        // Then the millionth send is due exactly a million thirds of a second after the start
        assertThat(pacer.dueNanos(3_000_000)).isEqualTo(START + 1_000_000L * 1_000_000_000L);
    }

    @Test
    void waitsForEachSendUntilItIsDue() {
        // Given a pacer at 200 sends per second
        ManualTimer timer = new ManualTimer(START);
        OpenLoopPacer pacer = new OpenLoopPacer(200, START, timer);

        // When three sends are paced
        List<Long> returned = List.of(pacer.awaitDue(0), pacer.awaitDue(1), pacer.awaitDue(2));

        // Then it waited until each due time and returned it
        List<Long> due = List.of(START, START + 5_000_000L, START + 10_000_000L);
        assertThat(timer.waitedUntil).isEqualTo(due);
        assertThat(returned).isEqualTo(due);
    }

    @Test
    void aLateSendKeepsItsScheduledTimeSoTheDelayCountsInItsLatency() {
        // Given the sender stalled for a second and is now far behind schedule
        ManualTimer timer = new ManualTimer(START + 1_000_000_000L);
        OpenLoopPacer pacer = new OpenLoopPacer(1_000, START, timer);

        // When send 10 is paced
        long intended = pacer.awaitDue(10);

        // Then it goes at once, but its start is its scheduled time, not the late wake-up
        assertThat(intended).isEqualTo(START + 10_000_000L);
        assertThat(timer.now).isEqualTo(START + 1_000_000_000L);
    }

    @Test
    void refusesARateThatIsNotPositive() {
        assertThatThrownBy(() -> new OpenLoopPacer(0, START, new ManualTimer(START)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
