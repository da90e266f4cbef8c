package io.parley.bench.pipeline;

import io.parley.worker.WorkerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connectors worker's configuration for a {@link PipelineConfig}, as the {@code worker.yaml}
 * and {@code connectors.yaml} a user would write: one {@code shop-api} connector with the demo
 * shop's {@code getOrder} operation against the bench's backend. The worker reads them with its
 * own loader. Everything not listed is the worker's default (share mode, consumers, concurrency
 * unless the scenario sets it; the connector's timeout, retry and circuit breaker).
 */
final class WorkerSettings {

    static final String CONNECTOR_FILE = "connectors.yaml";

    private final PipelineConfig config;

    WorkerSettings(PipelineConfig config) {
        this.config = config;
    }

    String groupId() {
        return config.name() + ".worker";
    }

    int concurrency() {
        return config.workerConcurrency().orElse(WorkerConfig.DEFAULT_CONCURRENCY);
    }

    /** Share consumers the worker runs: all of them must have joined before the pipeline serves. */
    int consumers() {
        return WorkerConfig.DEFAULT_CONSUMERS;
    }

    /** The content of worker.yaml, with the connector file beside it. */
    Map<String, Object> workerYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kafka", ConfigFiles.strings(config.kafka()));
        root.put("schemaRegistry", ConfigFiles.strings(config.schemaRegistry()));
        root.put("topics", new LinkedHashMap<>(config.topics().asMap()));
        root.put("admin", Map.of("host", "127.0.0.1", "port", 0));
        root.put("connectorFiles", List.of(CONNECTOR_FILE));
        root.put("groupId", groupId());
        config.workerConcurrency().ifPresent(concurrency -> root.put("concurrency", concurrency));
        return root;
    }

    /**
     * The content of connectors.yaml: the demo shop contract's {@code getOrder}. The backend
     * listens on the loopback interface, which connectors refuse unless allowed.
     */
    Map<String, Object> connectorsYaml() {
        Map<String, Object> getOrder = new LinkedHashMap<>();
        getOrder.put("method", "GET");
        getOrder.put("path", "/orders/{orderId}");
        getOrder.put("query", Map.of("customerId", "{customerId}"));
        Map<String, Object> shopApi = new LinkedHashMap<>();
        shopApi.put("name", "shop-api");
        shopApi.put("type", "http");
        shopApi.put("baseUrl", config.backendBaseUrl().toString());
        shopApi.put("allowPrivateNetworks", true);
        shopApi.put("operations", Map.of("getOrder", getOrder));
        return Map.of("connectors", List.of(shopApi));
    }

    /** What the report shows beside the figures. */
    Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("worker.mode", "share group");
        description.put("worker.concurrency", concurrency() + (config.workerConcurrency().isPresent() ? "" : " (worker default)"));
        description.put("worker.consumers", consumers() + " (worker default)");
        description.put("worker.connector", "shop-api http getOrder, connector defaults (timeout 5 s, retry, breaker)");
        return description;
    }
}
