package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.processor.ShutdownSequence.Part;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownSequenceTest {

    private final List<Part> closed = new ArrayList<>();
    private final ShutdownSequence shutdown = new ShutdownSequence();

    @Test
    void partsStopInTheirOrderNotInTheOrderTheyWereBuilt() {
        // Given the parts registered as the assembler builds them
        for (Part part : List.of(Part.TRACING, Part.METER_REGISTRY, Part.FLOW_READER, Part.ROCKSDB_MEMORY, Part.STREAMS,
                Part.STREAMS_METRICS, Part.ADMIN_SERVER)) {
            shutdown.add(part, () -> closed.add(part));
        }

        // When the sequence runs
        shutdown.close();

        // Then the flow reader stops first, the streams before their memory, the admin endpoint after the streams,
        // tracing last
        assertThat(closed).containsExactly(Part.FLOW_READER, Part.STREAMS, Part.STREAMS_METRICS, Part.ADMIN_SERVER,
                Part.ROCKSDB_MEMORY, Part.METER_REGISTRY, Part.TRACING);
    }

    @Test
    void aFailedStartClosesOnlyWhatWasBuiltAndAPartThatFailsToCloseDoesNotStopTheOthers() {
        // Given a start that got as far as the streams, whose close fails
        shutdown.add(Part.TRACING, () -> closed.add(Part.TRACING));
        shutdown.add(Part.ROCKSDB_MEMORY, () -> closed.add(Part.ROCKSDB_MEMORY));
        shutdown.add(Part.STREAMS, () -> {
            throw new IllegalStateException("broken");
        });

        try (LogCapture log = LogCapture.of(ShutdownSequence.class.getName())) {
            // When the sequence runs, twice
            shutdown.close();
            shutdown.close();

            // Then the memory and tracing were closed once, and the failure was logged
            assertThat(closed).containsExactly(Part.ROCKSDB_MEMORY, Part.TRACING);
            assertThat(log.warnings()).containsExactly("Closing Kafka Streams failed");
        }
    }

    @Test
    void aPartIsRegisteredOnce() {
        shutdown.add(Part.STREAMS, () -> { });

        assertThatThrownBy(() -> shutdown.add(Part.STREAMS, () -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka Streams");
    }
}
