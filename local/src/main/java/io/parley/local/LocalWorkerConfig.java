package io.parley.local;

import io.parley.local.demo.DemoPreferences;
import io.parley.demo.DemoShopConnectors;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import java.util.Map;

/**
 * The connectors worker's configuration in local mode: a share-group worker on the local broker
 * and registry, with the demo shop's connectors pointed at this run's shop API and database, and
 * the preference connector on this run's Redis when it runs.
 */
final class LocalWorkerConfig {

    /** How the connector definitions are named in messages. */
    static final String CONNECTORS_NAME = "local-mode " + DemoShopConnectors.TEMPLATE;
    /** How the preference connector (Redis) is named in messages. */
    static final String PREFERENCES_NAME = "local-mode " + DemoPreferences.CONNECTORS;

    private LocalWorkerConfig() {
    }

    /** @param adminPort the admin endpoint's port (0: any free one) */
    static WorkerConfig of(LocalStack stack, int adminPort) {
        WorkerConfig.Builder builder = WorkerConfig.builder()
                .kafka(Map.of("bootstrap.servers", stack.bootstrapServers()))
                .schemaRegistry(stack.serdeConfig())
                .topics(stack.settings().topics())
                .mode(WorkerMode.SHARE)
                // The stack made this group read from the earliest offset: requests sent before the worker joined are not lost.
                .groupId(LocalStack.WORKER_GROUP_ID)
                .connectorYaml(CONNECTORS_NAME, DemoShopConnectors.localYaml(stack.shopApi().baseUrl(), stack.shopDatabase()))
                .adminEnabled(true)
                .adminHost(LocalPorts.host())
                .adminPort(adminPort)
                .shutdownTimeout(ServiceSettings.WORKER_SHUTDOWN_TIMEOUT);
        stack.preferences().connectorYaml().ifPresent(yaml -> builder.connectorYaml(PREFERENCES_NAME, yaml));
        return builder.build();
    }
}
