package io.parley.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("backend.requests", 0);
    private static final TopicPartition P1 = new TopicPartition("backend.requests", 1);

    private final PartitionOffsets offsets = new PartitionOffsets();

    @Test
    void aRecordInFlightHoldsBackTheCommitOfLaterOnes() {
        offsets.started(P0, 10);
        offsets.started(P0, 11);
        offsets.started(P0, 12);

        offsets.finished(P0, 11);
        offsets.finished(P0, 12);
        assertThat(offsets.takeCommittable()).isEmpty();

        offsets.finished(P0, 10);
        assertThat(offsets.takeCommittable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
        assertThat(offsets.takeCommittable()).isEmpty();
    }

    @Test
    void partitionsAreCommittedIndependently() {
        offsets.started(P0, 5);
        offsets.started(P1, 7);
        offsets.started(P1, 8);

        offsets.finished(P1, 7);

        assertThat(offsets.takeCommittable()).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
        assertThat(offsets.inFlight(List.of(P0, P1))).isEqualTo(2);
    }

    @Test
    void forgottenPartitionsAreNeitherCommittedNorCountedInFlight() {
        offsets.started(P0, 1);
        offsets.finished(P0, 1);

        offsets.forget(List.of(P0));

        assertThat(offsets.takeCommittable()).isEmpty();
        assertThat(offsets.inFlight(List.of(P0))).isZero();
    }
}
