package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The producer's retry backoff: short, so a refused first write of a transaction does not stall the commit. */
class TransactionRetryPropertiesTest {

    @Test
    void theProducerRetriesARefusedWriteAfterTenMilliseconds() {
        Map<String, Object> props = ProcessorWiring.transactionRetryProperties(Map.of());

        assertThat(props).containsEntry("producer.retry.backoff.ms", 10L)
                .containsEntry("producer.retry.backoff.max.ms", 100L);
    }

    @Test
    void backoffSettingsInTheKafkaSectionWin() {
        Map<String, Object> props = ProcessorWiring.transactionRetryProperties(
                Map.of("retry.backoff.ms", "200", "producer.retry.backoff.max.ms", "2000"));

        assertThat(props).isEmpty();
    }
}
