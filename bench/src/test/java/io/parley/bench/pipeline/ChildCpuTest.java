package io.parley.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A child JVM's CPU time from its {@code /proc/<pid>/stat} line. */
class ChildCpuTest {

    @Test
    void userAndSystemTicksAreAddedAndTurnedIntoNanoseconds() {
        // Given a stat line whose program name holds a space and a parenthesis, utime 250 and stime 50 ticks
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 30 0 100 1000 200";

        // When / Then: 300 ticks of 10 ms
        assertThat(ChildCpu.fromStat(stat)).isEqualTo(3_000_000_000L);
    }

    @Test
    void aLineWithoutTheFieldsIsRefused() {
        assertThatThrownBy(() -> ChildCpu.fromStat("4242 (java) S 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("utime");
        assertThatThrownBy(() -> ChildCpu.fromStat("garbage"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisJvmsOwnCpuIsReadable() {
        assertThat(ChildCpu.nanos(ProcessHandle.current().pid())).isPresent();
    }
}
