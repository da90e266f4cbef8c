package io.parley.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.processor.StreamThreads;
import org.junit.jupiter.api.Test;

/** The stream threads the bench gives its Kafka Streams applications: the number asked for, else the processor's own. */
class BenchSettingsTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void withoutAnAskedNumberTheProcessorsDefaultForTheGuaranteeOnThisMachine() {
        BenchSettings full = BenchSettings.full();

        assertThat(full.streamThreadsFor(ProcessingGuarantee.EXACTLY_ONCE_V2, 12))
                .isEqualTo(StreamThreads.byDefault(true, CORES, 12))
                .isEqualTo(Math.min(CORES, 12));
        assertThat(full.streamThreadsFor(ProcessingGuarantee.AT_LEAST_ONCE, 12)).isEqualTo(1);
        assertThat(full.describe().get("stream.threads").toString()).startsWith("the processor's default");
    }

    @Test
    void anAskedNumberGoesToEveryApplicationWhateverTheGuarantee() {
        BenchSettings full = BenchSettings.full();
        BenchSettings three = new BenchSettings(full.mode(), full.partitions(), 3, full.messages(), full.baselineMessages(),
                full.rateDuration(), full.sessions(), full.dueDeadlines(), full.warmUpFraction(), full.load());

        assertThat(three.streamThreadsFor(ProcessingGuarantee.EXACTLY_ONCE_V2, 12)).isEqualTo(3);
        assertThat(three.streamThreadsFor(ProcessingGuarantee.AT_LEAST_ONCE, 12)).isEqualTo(3);
        assertThat(three.describe()).containsEntry("stream.threads", 3);
    }
}
