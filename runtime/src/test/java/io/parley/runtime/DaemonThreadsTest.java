package io.parley.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void threadsAreDaemonsNumberedUnderTheirPrefix() {
        ThreadFactory threads = DaemonThreads.named("parley-test");

        Thread first = threads.newThread(() -> { });
        Thread second = threads.newThread(() -> { });

        assertThat(first.isDaemon()).isTrue();
        assertThat(second.isDaemon()).isTrue();
        assertThat(first.getName()).isEqualTo("parley-test-1");
        assertThat(second.getName()).isEqualTo("parley-test-2");
    }
}
