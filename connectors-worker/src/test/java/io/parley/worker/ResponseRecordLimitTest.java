package io.parley.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.worker.kafka.ResponseRecordLimit;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** How the worker's answer cap follows the response record limit. */
class ResponseRecordLimitTest {

    private static WorkerConfig.Builder config() {
        return WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", "localhost:9092"))
                .schemaRegistry(Map.of("schema.registry.url", "mock://limits"))
                .connectorYaml("shop.yaml", "connectors: []");
    }

    @Test
    void withKafkasDefaultsTheDefaultCapIsLoweredToWhatFitsARecord() {
        ResponseRecordLimit defaults = new ResponseRecordLimit("backend.responses",
                ResponseRecordLimit.KAFKA_DEFAULT_MAX_MESSAGE_BYTES, ResponseRecordLimit.KAFKA_DEFAULT_MAX_REQUEST_SIZE);

        long cap = ConnectorWorker.workerMaxResponseBytes(config().build(), defaults);

        // 1 MiB answers never fitted a 1 MiB record: the cap leaves room for the rest of the record
        assertThat(cap).isEqualTo(1_048_576 - ResponseRecordLimit.RECORD_OVERHEAD_BYTES);
    }

    @Test
    void aConfiguredCapThatFitsIsKeptAndOneThatDoesNotStopsTheStart() {
        ResponseRecordLimit small = new ResponseRecordLimit("backend.responses", 65_536, 1_048_576);

        assertThat(ConnectorWorker.workerMaxResponseBytes(config().maxResponseBytes(10_000).build(), small)).isEqualTo(10_000);
        assertThatThrownBy(() -> ConnectorWorker.workerMaxResponseBytes(config().maxResponseBytes(60_000).build(), small))
                .isInstanceOf(ConfigException.class)
                .hasMessage("code: maxResponseBytes: 60000 bytes does not fit a response record: backend.responses accepts records"
                        + " of up to 65536 bytes (the smaller of the topic's max.message.bytes, 65536, and the producer's"
                        + " max.request.size, 1048576), and 16384 bytes of it are kept for ids and record overhead;"
                        + " set it to at most 49152, or raise those limits");
    }

    @Test
    void theProducersMaxRequestSizeBindsWhenItIsTheSmaller() {
        ResponseRecordLimit limit = new ResponseRecordLimit("backend.responses", 1_048_588, 100_000);

        assertThat(limit.recordBytes()).isEqualTo(100_000);
        assertThat(ConnectorWorker.workerMaxResponseBytes(config().build(), limit)).isEqualTo(100_000 - 16_384);
    }
}
