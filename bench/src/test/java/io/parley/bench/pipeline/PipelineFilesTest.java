package io.parley.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bench.backend.OrderBackend;
import io.parley.processor.ProcessorWiring;
import io.parley.processor.config.ProcessorConfig;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.topics.TopicNames;
import io.parley.worker.Connectors;
import io.parley.worker.WorkerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration files the bench writes are read by the processor's and the worker's own loaders. */
class PipelineFilesTest {

    @TempDir
    Path folder;

    private PipelineConfig config(ProcessingGuarantee guarantee, Duration turnTimeout, OptionalInt concurrency, URI backend) {
        Map<String, String> topics = new LinkedHashMap<>();
        TopicNames.defaults().asMap().forEach((key, name) -> topics.put(key, "bench.r1.s2." + name));
        return new PipelineConfig("bench.r1.s2", Map.of("bootstrap.servers", "localhost:9092"),
                Map.of("schema.registry.url", "mock://pipeline-files"), TopicNames.fromMap(topics), "bench",
                "where is my order 1001", "hello", guarantee, Duration.ofMillis(100), 2, backend, turnTimeout, concurrency,
                ProcessorPlacement.IN_PROCESS, Optional.empty(), folder);
    }

    private ProcessorConfig processorConfig(PipelineConfig config) {
        ProcessorSettings settings = new ProcessorSettings(config);
        return ProcessorConfig.load(ConfigFiles.write(folder.resolve("processor.yaml"),
                settings.yaml(config.schemaRegistry(), 0)));
    }

    @Test
    void theProcessorRunsTheScenariosGuaranteeCommitIntervalAndThreads() {
        PipelineConfig pipeline = config(ProcessingGuarantee.EXACTLY_ONCE_V2, Duration.ofSeconds(10), OptionalInt.empty(),
                URI.create("http://127.0.0.1:1"));

        ProcessorConfig config = processorConfig(pipeline);

        assertThat(config.kafka())
                .containsEntry("application.id", "bench.r1.s2.processor")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("commit.interval.ms", "100")
                .containsEntry("num.stream.threads", "2")
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("state.dir", folder.resolve("processor-state").toString());
        assertThat(config.topics()).isEqualTo(pipeline.topics());
        assertThat(config.replyRoutes().topicFor("bench")).isEqualTo("bench.r1.s2.chat.replies");
        assertThat(config.conversation().deadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.conversation().interimAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theBenchFlowsPassTheProcessorsOwnChecks() {
        ProcessorConfig config = processorConfig(config(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(10),
                OptionalInt.empty(), URI.create("http://127.0.0.1:1")));

        assertThat(ProcessorWiring.flows(config).version()).contains("bench-1");
    }

    @Test
    void aShortTurnTimeoutStillLeavesTheStillWorkingMessageBeforeTheDeadline() {
        ProcessorConfig config = processorConfig(config(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(2),
                OptionalInt.empty(), URI.create("http://127.0.0.1:1")));

        assertThat(config.conversation().interimAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.conversation().deadline()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theWorkerKeepsItsDefaultConcurrencyUnlessTheScenarioSetsOne() {
        URI backend = URI.create("http://127.0.0.1:1");
        WorkerSettings byDefault = new WorkerSettings(config(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(10),
                OptionalInt.empty(), backend));
        WorkerSettings set = new WorkerSettings(config(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(10),
                OptionalInt.of(300), backend));

        WorkerConfig defaulted = WorkerConfig.load(ConfigFiles.write(folder.resolve("default.yaml"), byDefault.workerYaml()));
        WorkerConfig configured = WorkerConfig.load(ConfigFiles.write(folder.resolve("set.yaml"), set.workerYaml()));

        assertThat(defaulted.concurrency()).isEqualTo(WorkerConfig.DEFAULT_CONCURRENCY);
        assertThat(configured.concurrency()).isEqualTo(300);
        assertThat(defaulted.groupId()).isEqualTo("bench.r1.s2.worker");
        assertThat(defaulted.topics().backendRequests()).isEqualTo("bench.r1.s2.backend.requests");
    }

    @Test
    void theWorkersConnectorFetchesTheOrderOfTheUserFromTheBackend() {
        try (OrderBackend backend = OrderBackend.start(Duration.ZERO, 1)) {
            WorkerSettings settings = new WorkerSettings(config(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofSeconds(10),
                    OptionalInt.empty(), backend.baseUri()));
            Path connectorsFile = ConfigFiles.write(folder.resolve(WorkerSettings.CONNECTOR_FILE), settings.connectorsYaml());

            BackendResponse response;
            try (Connectors connectors = Connectors.load(connectorsFile)) {
                response = connectors.call(BackendRequest.newBuilder()
                        .setRequestId("e-1/s0/c0").setConversationId("c-1").setUserId("alice").setEventId("e-1")
                        .setConnector("shop-api").setOperation("getOrder")
                        .setParams(Map.of("orderId", "1001", "customerId", "alice"))
                        .setDeadline(Instant.now().plusSeconds(10)).setAttempt(1).setCreatedAt(Instant.now())
                        .build());
            }

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getResult()).contains("\"orderId\":\"1001\"").contains("\"customerId\":\"alice\"");
        }
    }
}
