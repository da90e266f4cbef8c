package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalModeShutdownTest {

    private final List<String> closed = new ArrayList<>();

    @Test
    void componentsCloseLatestFirstAndOnlyOnce() {
        LocalModeShutdown sequence = LocalModeShutdown.installed(() -> { });
        sequence.add(component("broker"));
        sequence.add(component("processor"));
        sequence.add(component("console"));

        sequence.close();
        sequence.close();

        assertThat(closed).containsExactly("console", "processor", "broker");
    }

    @Test
    void aComponentThatFailsToCloseDoesNotKeepTheOthersOpen() {
        LocalModeShutdown sequence = LocalModeShutdown.installed(() -> { });
        sequence.add(component("broker"));
        sequence.add(() -> {
            throw new IllegalStateException("worker would not stop");
        });

        sequence.close();

        assertThat(closed).containsExactly("broker");
    }

    @Test
    void aComponentStartedWhileStoppingIsClosedAtOnce() {
        LocalModeShutdown sequence = LocalModeShutdown.installed(() -> { });
        sequence.close();

        assertThatThrownBy(() -> sequence.add(component("late worker")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopping");
        assertThat(closed).containsExactly("late worker");
    }

    private AutoCloseable component(String name) {
        return () -> closed.add(name);
    }
}
