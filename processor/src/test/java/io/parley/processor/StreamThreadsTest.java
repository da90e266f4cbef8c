package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The stream threads a processor runs when its kafka: section does not choose: one per core under exactly-once. */
class StreamThreadsTest {

    private static ProcessorConfig.Builder config() {
        return ProcessorConfig.builder()
                .kafka("bootstrap.servers", "localhost:9092")
                .schemaRegistry("schema.registry.url", "mock://stream-threads")
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")));
    }

    @Test
    void exactlyOnceRunsOneThreadPerCoreAndNoMoreThanTheConversationPartitions() {
        assertThat(StreamThreads.byDefault(true, 2, 12)).isEqualTo(2);
        assertThat(StreamThreads.byDefault(true, 16, 12)).isEqualTo(12);
        assertThat(StreamThreads.byDefault(true, 1, 12)).isEqualTo(1);
        assertThat(StreamThreads.byDefault(true, 8, 1)).isEqualTo(1);
    }

    @Test
    void atLeastOnceKeepsKafkaStreamsOneThreadWhateverTheCores() {
        assertThat(StreamThreads.byDefault(false, 8, 12)).isEqualTo(1);
    }

    @Test
    void theProcessorsDefaultGuaranteeGetsAThreadPerCore() {
        ProcessorConfig config = config().build();
        Map<String, Object> props = new HashMap<>(ProcessorWiring.connectionProperties(config));

        OptionalInt threads = StreamThreads.applyDefault(props, config.kafka(), 4, 12);

        assertThat(threads).hasValue(4);
        assertThat(new StreamsConfig(props).getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(4);
    }

    @Test
    void atLeastOnceFromTheKafkaSectionGetsOneThread() {
        ProcessorConfig config = config().kafka("processing.guarantee", "at_least_once").build();
        Map<String, Object> props = new HashMap<>(ProcessorWiring.connectionProperties(config));

        assertThat(StreamThreads.applyDefault(props, config.kafka(), 4, 12)).hasValue(1);
        assertThat(new StreamsConfig(props).getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
    }

    @Test
    void threadsChosenInTheKafkaSectionWin() {
        ProcessorConfig config = config().kafka("num.stream.threads", "3").build();
        Map<String, Object> props = new HashMap<>(ProcessorWiring.connectionProperties(config));

        assertThat(StreamThreads.applyDefault(props, config.kafka(), 8, 12)).isEmpty();
        assertThat(new StreamsConfig(props).getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(3);
    }
}
