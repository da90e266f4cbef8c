package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.flow.FlowSource;
import io.parley.processor.ops.BoundedMemoryRocksDbConfig;
import io.parley.processor.ops.SkippingDeserializationHandler;
import io.parley.processor.ops.SkippingProcessingHandler;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings the processor runs with: safe defaults, the kafka: section on top, and guarantees it cannot undo. */
class StreamsPropertiesTest {

    private static ProcessorConfig.Builder config() {
        return ProcessorConfig.builder()
                .kafka("bootstrap.servers", "localhost:9092")
                .schemaRegistry("schema.registry.url", "mock://streams-properties")
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")));
    }

    @Test
    void exactlyOnceV2DeadLettersAndBoundedMemoryByDefault() {
        Map<String, Object> props = ProcessorWiring.connectionProperties(config().build());

        assertThat(props)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "parley-processor")
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "chat.dlq")
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkippingDeserializationHandler.class.getName())
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SkippingProcessingHandler.class.getName())
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class.getName())
                .containsEntry(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
    }

    @Test
    void transactionalStateStoresCanBeTurnedOffInTheKafkaSection() {
        Map<String, Object> props = ProcessorWiring.connectionProperties(config()
                .kafka(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false")
                .build());

        assertThat(new StreamsConfig(props).getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)).isFalse();
    }

    @Test
    void kafkaSectionOverridesTheDefaults() {
        Map<String, Object> props = ProcessorWiring.connectionProperties(config()
                .kafka("processing.guarantee", "at_least_once")
                .kafka("security.protocol", "SASL_SSL")
                .build());

        assertThat(props).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void producersLingerFiveMillisecondsRatherThanKafkaStreamsHundred() {
        Map<String, Object> producer = producerConfigs(config().build());

        assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5);
    }

    @Test
    void lingerFromTheKafkaSectionWinsPrefixedOrNot() {
        assertThat(producerConfigs(config().kafka("linger.ms", "50").build()))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "50");
        assertThat(producerConfigs(config().kafka("producer.linger.ms", "20").build()))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20");
    }

    @Test
    void producersTransactionsTimeOutAfterFiveSecondsRatherThanKafkaStreamsTen() {
        // Given Parley's defaults (exactly-once v2)
        ProcessorConfig config = config().build();

        // When Kafka Streams makes its producers' configuration
        Map<String, Object> producer = producerConfigs(config);

        // Then a dead instance's open transaction is abortable 5 s after it began, not 10 s
        assertThat(producer).containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 5_000);
    }

    @Test
    void transactionTimeoutFromTheKafkaSectionWinsPrefixedOrNot() {
        assertThat(producerConfigs(config().kafka("transaction.timeout.ms", "10000").build()))
                .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        assertThat(producerConfigs(config().kafka("producer.transaction.timeout.ms", "30000").build()))
                .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
    }

    @Test
    void atLeastOnceCommitsEverySecondAndExactlyOnceEveryTwentyFiveMilliseconds() {
        assertThat(commitInterval(config().kafka("processing.guarantee", "at_least_once").build())).isEqualTo(1_000L);
        assertThat(commitInterval(config().build())).isEqualTo(25L);
    }

    @Test
    void underExactlyOnceAStreamThreadWaitsTenMillisecondsInPollSoACommitIsNotLate() {
        assertThat(pollMillis(config().build())).isEqualTo(10L);
        // at-least-once records are readable at once: Kafka Streams' 100 ms poll is kept
        assertThat(pollMillis(config().kafka("processing.guarantee", "at_least_once").build())).isEqualTo(100L);
    }

    @Test
    void aPollTimeFromTheKafkaSectionWins() {
        assertThat(pollMillis(config().kafka("poll.ms", "50").build())).isEqualTo(50L);
    }

    @Test
    void aCommitIntervalFromTheKafkaSectionWins() {
        assertThat(commitInterval(config().kafka("processing.guarantee", "at_least_once")
                .kafka("commit.interval.ms", "30000").build())).isEqualTo(30_000L);
    }

    private static long pollMillis(ProcessorConfig config) {
        return new StreamsConfig(ProcessorWiring.connectionProperties(config)).getLong(StreamsConfig.POLL_MS_CONFIG);
    }

    private static long commitInterval(ProcessorConfig config) {
        return new StreamsConfig(ProcessorWiring.connectionProperties(config)).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    /** What Kafka Streams gives its producers. */
    private static Map<String, Object> producerConfigs(ProcessorConfig config) {
        return new StreamsConfig(ProcessorWiring.connectionProperties(config)).getProducerConfigs("test-client");
    }

    @Test
    void explicitNamingAndTheDeadLetterTopicCannotBeOverridden() {
        Map<String, Object> props = ProcessorWiring.connectionProperties(config()
                .kafka(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "false")
                .kafka(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "elsewhere")
                .build());

        assertThat(props).containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "chat.dlq");
    }
}
