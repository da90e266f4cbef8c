package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.parley.analytics.config.AnalyticsConfig;
import io.parley.gateway.GatewayConfig;
import io.parley.mcp.McpSettings;
import io.parley.processor.config.ProcessorConfig;
import io.parley.runtime.ConfigVariables;
import io.parley.worker.ConnectorFiles;
import io.parley.worker.WorkerConfig;
import io.parley.worker.WorkerMode;
import io.parley.worker.config.YamlFiles;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/k8s, rendered (base and every overlay) and read into the Kubernetes object model
 * (fabric8 kubernetes-model): every object parses with no unknown field, pods have probes,
 * resources and a non-root user, the processor is a StatefulSet with its volume, standbys, PDB and
 * graceful stop, workers scale on the request backlog, memory limits hold heap and RocksDB, every
 * secret a configuration references is mounted, and the configurations load with the services'
 * own readers.
 */
class KubernetesManifestsTest {

    private static final Path K8S = MonitoringFiles.DEPLOY.resolve("k8s");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonMapper MODEL = JsonMapper.builder().build();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{(file|directory):(/[^:}]+):([^}]+)}");
    private static final Pattern PLAIN_PATH = Pattern.compile("(?m)(?:truststore|keystore)\\.location: (/\\S+)");
    /** What bin/parley-processor reserves for the JVM besides heap and RocksDB: 256 MiB plus a tenth. */
    private static final long JVM_RESERVE_MIB = 256;

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void everyObjectIsAKubernetesObjectWithoutUnknownFields(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);

        assertThat(objects).extracting(HasMetadata::getKind).contains("StatefulSet", "Deployment", "Service", "ConfigMap",
                "PodDisruptionBudget", "HorizontalPodAutoscaler");
        for (HasMetadata object : objects) {
            String what = object.getKind() + " " + object.getMetadata().getName();
            assertThat(unknownFields(object, what)).as("fields the Kubernetes model does not know").isEmpty();
            assertThat(object.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(object.getMetadata().getLabels()).as(what).containsEntry("app.kubernetes.io/part-of", "parley")
                    .containsKey("app.kubernetes.io/name");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void podsHaveProbesResourcesAndRunAsAnUnprivilegedUser(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);

        for (Map.Entry<String, PodTemplateSpec> workload : workloads(objects).entrySet()) {
            String what = workload.getKey();
            PodTemplateSpec template = workload.getValue();
            PodSpec pod = template.getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(what + " runs as non-root").isTrue();
            assertThat(pod.getTerminationGracePeriodSeconds()).as(what + " grace period").isBetween(20L, 300L);
            Set<String> volumes = new LinkedHashSet<>(pod.getVolumes().stream().map(Volume::getName).toList());
            volumeClaims(objects, what).forEach(volumes::add);
            for (Container container : pod.getContainers()) {
                assertThat(container.getImage()).as(what + " image").matches("parley/[a-z]+:\\S+");
                Set<String> ports = new LinkedHashSet<>(container.getPorts().stream().map(port -> port.getName()).toList());
                assertHttpProbe(what + " readiness", container.getReadinessProbe(), ports);
                assertHttpProbe(what + " liveness", container.getLivenessProbe(), ports);
                assertThat(container.getResources().getRequests()).as(what + " requests").containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(what + " limits").containsKeys("cpu", "memory");
                assertThat(bytes(container.getResources().getLimits().get("memory")))
                        .isEqualTo(bytes(container.getResources().getRequests().get("memory")));
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(container.getVolumeMounts()).extracting(VolumeMount::getName).allSatisfy(name ->
                        assertThat(volumes).as(what + " declares the volume it mounts").contains(name));
                assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).as("a writable /tmp").contains("/tmp");
                // The images' entrypoint keeps its class data sharing archive in /var/lib/parley/cds
                assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath)
                        .as(what + ": a writable /var/lib/parley or /var/lib/parley/cds for the class archive")
                        .containsAnyOf("/var/lib/parley", "/var/lib/parley/cds");
                assertThat(env(container)).containsKey("JAVA_TOOL_OPTIONS");
            }
            for (Volume volume : pod.getVolumes()) {
                if (volume.getConfigMap() != null) {
                    assertThat(configMap(objects, volume.getConfigMap().getName())).as(what + " config map").isPresent();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void processorIsAStatefulSetWithItsVolumeStandbysBudgetAndReadiness(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);
        StatefulSet processor = one(objects, StatefulSet.class, "parley-processor");
        Container container = processor.getSpec().getTemplate().getSpec().getContainers().get(0);
        ProcessorConfig config = ProcessorConfig.load(configFile(objects, processor.getSpec().getTemplate(), container, "processor.yaml"));

        // State on a persistent volume claimed per pod, where state.dir points
        assertThat(processor.getSpec().getVolumeClaimTemplates()).hasSize(1);
        String claim = processor.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertThat(bytes(processor.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage")))
                .isGreaterThan(1L << 30);
        String mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals(claim)).findFirst().orElseThrow().getMountPath();
        assertThat(config.kafka().get("state.dir")).startsWith(mount + "/");
        // Warm standbys and a budget that keeps all but one pod during drains
        assertThat(Integer.parseInt(config.kafka().get("num.standby.replicas"))).isGreaterThanOrEqualTo(1);
        assertThat(processor.getSpec().getReplicas()).isGreaterThan(Integer.parseInt(config.kafka().get("num.standby.replicas")));
        PodDisruptionBudget budget = one(objects, PodDisruptionBudget.class, "parley-processor");
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(processor.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        // Ready when Kafka Streams runs; a stable identity per pod (static membership) through the headless service
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(config.admin().port()).isEqualTo(container.getPorts().get(0).getContainerPort());
        assertThat(config.membership().instanceId()).contains("parley-processor-0");
        assertThat(env(container)).containsKey("POD_NAME");
        Service headless = one(objects, Service.class, processor.getSpec().getServiceName());
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getSelector()).isEqualTo(processor.getSpec().getSelector().getMatchLabels());
        // Graceful stop: static members keep their partitions while the pod restarts
        assertThat(config.membership().leaveGroupOnShutdown()).isFalse();
        assertThat(processor.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(30L);
        // Heap, RocksDB and the JVM's own needs fit the memory limit, as bin/parley-processor sizes them
        long limitMib = bytes(container.getResources().getLimits().get("memory")) >> 20;
        long heapMib = heapMib(env(container).get("JAVA_TOOL_OPTIONS"));
        long rocksDbMib = config.rocksDb().totalMemoryBytes() >> 20;
        assertThat(heapMib + rocksDbMib + JVM_RESERVE_MIB + limitMib / 10).as("heap + RocksDB + JVM in MiB").isLessThanOrEqualTo(limitMib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void workersScaleOnTheRequestBacklogPastThePartitionCount(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);
        Deployment worker = one(objects, Deployment.class, "parley-worker");
        Container container = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
        Path workerYaml = configFile(objects, worker.getSpec().getTemplate(), container, "worker.yaml");
        configFile(objects, worker.getSpec().getTemplate(), container, "connectors.yaml");
        WorkerConfig config = WorkerConfig.load(workerYaml);

        // A share group: more workers than partitions still all get requests
        assertThat(config.mode()).isEqualTo(WorkerMode.SHARE);
        HorizontalPodAutoscaler autoscaler = one(objects, HorizontalPodAutoscaler.class, "parley-worker");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo("parley-worker");
        assertThat(autoscaler.getSpec().getMaxReplicas()).isGreaterThan(autoscaler.getSpec().getMinReplicas());
        assertThat(autoscaler.getSpec().getMetrics()).singleElement().satisfies(metric ->
                assertThat(metric.getExternal().getMetric().getName()).isEqualTo("parley_pending_calls"));
        // Calls in flight finish within the grace period
        assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(config.shutdownTimeout().toSeconds());
        assertThat(one(objects, PodDisruptionBudget.class, "parley-worker").getSpec().getSelector().getMatchLabels())
                .isEqualTo(worker.getSpec().getSelector().getMatchLabels());
        long limitMib = bytes(container.getResources().getLimits().get("memory")) >> 20;
        assertThat(heapMib(env(container).get("JAVA_TOOL_OPTIONS")) + JVM_RESERVE_MIB + limitMib / 10).isLessThanOrEqualTo(limitMib);
        // The connector files load, their secrets read from the mounted secret volume
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            assertThat(ConnectorFiles.read(List.of(YamlFiles.read(workerYaml.resolveSibling("connectors.yaml"))), variables))
                    .extracting(connector -> connector.name()).contains("shop-api", "shop-db");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void gatewayIsADeploymentBehindAService(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);
        Deployment gateway = one(objects, Deployment.class, "parley-gateway");
        Container container = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
        Path gatewayYaml = configFile(objects, gateway.getSpec().getTemplate(), container, "gateway.yaml");

        GatewayConfig.read(gatewayYaml);
        Service service = one(objects, Service.class, "parley-gateway");
        assertThat(service.getSpec().getSelector()).isEqualTo(gateway.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port ->
                assertThat(port.getTargetPort().getStrVal()).isEqualTo(container.getPorts().get(0).getName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void mcpServerIsADeploymentBehindAServiceReadingTheWorkersConnectorFiles(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);
        Deployment mcp = one(objects, Deployment.class, "parley-mcp");
        Container container = mcp.getSpec().getTemplate().getSpec().getContainers().get(0);
        // The workers' file first: each configFile call rewrites the pod's environment file
        Deployment worker = one(objects, Deployment.class, "parley-worker");
        configFile(objects, worker.getSpec().getTemplate(), worker.getSpec().getTemplate().getSpec().getContainers().get(0), "connectors.yaml");
        Path mcpYaml = configFile(objects, mcp.getSpec().getTemplate(), container, "mcp.yaml");

        // connectorFiles: ../connectors/connectors.yaml is the workers' file, mounted beside the config folder
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/parley/connectors");
            assertThat(mcp.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(volume -> volume.getName().equals(mount.getName()))
                    .singleElement().satisfies(volume -> assertThat(volume.getConfigMap().getName()).isEqualTo("parley-worker-config"));
        });
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/etc/parley/config"));
        Files.writeString(mcpYaml, Files.readString(mcpYaml).replace("../connectors/connectors.yaml", "connectors.yaml"));
        McpSettings settings;
        try (ConfigVariables variables = ConfigVariables.withStandardProviders()) {
            settings = McpSettings.read(mcpYaml, variables, java.time.Clock.systemUTC());
        }
        assertThat(settings.tools()).isNotEmpty();
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(settings.port());
        Service service = one(objects, Service.class, "parley-mcp");
        assertThat(service.getSpec().getSelector()).isEqualTo(mcp.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port ->
                assertThat(port.getTargetPort().getStrVal()).isEqualTo(container.getPorts().get(0).getName()));
        long limitMib = bytes(container.getResources().getLimits().get("memory")) >> 20;
        assertThat(heapMib(env(container).get("JAVA_TOOL_OPTIONS")) + JVM_RESERVE_MIB + limitMib / 10).isLessThanOrEqualTo(limitMib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void analyticsReadTheProcessorsAuditTopic(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);
        Deployment analytics = one(objects, Deployment.class, "parley-analytics");
        Container container = analytics.getSpec().getTemplate().getSpec().getContainers().get(0);
        AnalyticsConfig config = AnalyticsConfig.load(configFile(objects, analytics.getSpec().getTemplate(), container, "analytics.yaml"));
        ProcessorConfig processor = ProcessorConfig.load(configFile(objects, one(objects, StatefulSet.class, "parley-processor").getSpec()
                .getTemplate(), one(objects, StatefulSet.class, "parley-processor").getSpec().getTemplate().getSpec().getContainers().get(0),
                "processor.yaml"));

        assertThat(config.botTopics()).containsValue(processor.topics().audit());
        assertThat(config.adminPort()).isEqualTo(container.getPorts().get(0).getContainerPort());
        assertThat(config.kafka().get("state.dir")).startsWith("/var/lib/parley/");
        long limitMib = bytes(container.getResources().getLimits().get("memory")) >> 20;
        assertThat(heapMib(env(container).get("JAVA_TOOL_OPTIONS")) + 256 + JVM_RESERVE_MIB + limitMib / 10).isLessThanOrEqualTo(limitMib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/secured"})
    void securedClustersAreReachedWithSaslOverTlsAndNoPasswordInAConfigMap(String kustomization) throws Exception {
        List<HasMetadata> objects = render(kustomization);

        for (Map.Entry<String, PodTemplateSpec> workload : workloads(objects).entrySet()) {
            PodTemplateSpec template = workload.getValue();
            Container container = template.getSpec().getContainers().get(0);
            String configName = template.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
                    .findFirst().orElseThrow().getConfigMap().getName();
            for (Map.Entry<String, String> file : configMap(objects, configName).orElseThrow().getData().entrySet()) {
                JsonNode yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(file.getValue());
                JsonNode kafka = yaml.path("kafka");
                if (kafka.isMissingNode()) {
                    continue;
                }
                String what = workload.getKey() + " " + file.getKey();
                assertThat(kafka.path("security.protocol").asText()).as(what).isEqualTo("SASL_SSL");
                assertThat(kafka.path("sasl.jaas.config").asText()).as(what).containsPattern("password=\"\\$\\{file:[^}]+}\"");
                assertThat(kafka.path("ssl.truststore.password").asText()).as(what).startsWith("${file:");
                JsonNode registry = yaml.path("schemaRegistry");
                assertThat(registry.path("schema.registry.url").asText()).as(what).startsWith("https://");
                assertThat(registry.path("basic.auth.user.info").asText()).as(what).startsWith("${file:");
                assertThat(secretMountPaths(template, container)).as(what + " mounts the truststore")
                        .anySatisfy(path -> assertThat(kafka.path("ssl.truststore.location").asText()).startsWith(path + "/"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/secured"})
    void rendersAsKubectlKustomizeDoes(String kustomization) throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed: the comparison with kustomize itself is skipped");
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", K8S.resolve(kustomization).toString()).redirectErrorStream(true).start();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as(output).isZero();

        Path rendered = Files.writeString(directory.resolve("kubectl.yaml"), output);
        assertThat(byKindAndName(Kustomization.readAll(rendered))).isEqualTo(byKindAndName(Kustomization.render(K8S.resolve(kustomization))));
    }

    // --- rendering and reading ---

    private static List<HasMetadata> render(String kustomization) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (ObjectNode node : Kustomization.render(K8S.resolve(kustomization))) {
            String type = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
            Class<? extends HasMetadata> model = KINDS.get(type);
            if (model == null) {
                fail("%s: %s is not a kind this test reads into the Kubernetes model", kustomization, type);
            }
            objects.add(MODEL.readValue(JSON.writeValueAsString(node), model));
        }
        return objects;
    }

    /** Paths of properties the Kubernetes model did not know (they land in additionalProperties). */
    private static List<String> unknownFields(Object object, String path) throws Exception {
        List<String> unknown = new ArrayList<>();
        if (object == null) {
            return unknown;
        }
        if (object instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]"));
            }
            return unknown;
        }
        if (object instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                unknown.addAll(unknownFields(entry.getValue(), path + "." + entry.getKey()));
            }
            return unknown;
        }
        if (!object.getClass().getName().startsWith("io.fabric8.")) {
            return unknown;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(object);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
            } else {
                unknown.addAll(unknownFields(value, path + "." + getter.getName().substring(3)));
            }
        }
        return unknown;
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static Optional<ConfigMap> configMap(List<HasMetadata> objects, String name) {
        return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(map -> map.getMetadata().getName().equals(name)).findFirst();
    }

    private static Map<String, PodTemplateSpec> workloads(List<HasMetadata> objects) {
        Map<String, PodTemplateSpec> workloads = new TreeMap<>();
        for (HasMetadata object : objects) {
            if (object instanceof StatefulSet set) {
                workloads.put("StatefulSet " + set.getMetadata().getName(), set.getSpec().getTemplate());
                assertThat(set.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(set.getSpec().getSelector().getMatchLabels());
            } else if (object instanceof Deployment deployment) {
                workloads.put("Deployment " + deployment.getMetadata().getName(), deployment.getSpec().getTemplate());
                assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
            }
        }
        return workloads;
    }

    private static List<String> volumeClaims(List<HasMetadata> objects, String workload) {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
                .filter(set -> workload.equals("StatefulSet " + set.getMetadata().getName()))
                .flatMap(set -> set.getSpec().getVolumeClaimTemplates().stream()).map(claim -> claim.getMetadata().getName()).toList();
    }

    private static void assertHttpProbe(String what, Probe probe, Set<String> ports) {
        assertThat(probe).as(what).isNotNull();
        assertThat(probe.getHttpGet()).as(what + " is an HTTP probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(what).startsWith("/health/");
        assertThat(ports).as(what + " probes a declared port").contains(probe.getHttpGet().getPort().getStrVal());
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), variable.getValue() == null ? "(from " + variable.getValueFrom() + ")" : variable.getValue());
        }
        return env;
    }

    private static List<String> secretMountPaths(PodTemplateSpec template, Container container) {
        Set<String> secretVolumes = new LinkedHashSet<>();
        template.getSpec().getVolumes().stream().filter(volume -> volume.getSecret() != null).forEach(volume -> secretVolumes.add(volume.getName()));
        return container.getVolumeMounts().stream().filter(mount -> secretVolumes.contains(mount.getName()))
                .map(VolumeMount::getMountPath).toList();
    }

    /**
     * Writes a config map entry the pod mounts as a file, as the pod would see it: every
     * {@code ${env:...}} must be a variable of the container, and every file a reference names
     * must lie on a secret volume of the container. Both are then stood in for by files in the
     * test's folder, so that the services' readers resolve them as they would in the pod.
     */
    private Path configFile(List<HasMetadata> objects, PodTemplateSpec template, Container container, String key) throws IOException {
        String configName = template.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow()
                .getConfigMap().getName();
        String text = configMap(objects, configName).orElseThrow().getData().get(key);
        assertThat(text).as(configName + " has " + key).isNotNull();
        String what = configName + "/" + key;
        Path podEnv = directory.resolve("pod-env.properties");
        List<String> envLines = new ArrayList<>();
        Matcher envReference = ENV_REFERENCE.matcher(text);
        while (envReference.find()) {
            String name = envReference.group(1);
            assertThat(env(container)).as(what + " uses ${env:" + name + "}").containsKey(name);
            envLines.add(name + "=" + (name.equals("POD_NAME") ? "parley-processor-0" : "pod-value-of-" + name + "-0123456789abcdef"));
        }
        Files.write(podEnv, envLines);
        String rewritten = ENV_REFERENCE.matcher(text).replaceAll(match -> Matcher.quoteReplacement("${file:" + podEnv + ":" + match.group(1) + "}"));
        List<String> mounts = secretMountPaths(template, container);
        Map<Path, Set<String>> secretFiles = new LinkedHashMap<>();
        Matcher fileReference = FILE_REFERENCE.matcher(text);
        while (fileReference.find()) {
            String path = fileReference.group(2);
            assertThat(mounts).as(what + " reads " + path + " from a mounted secret")
                    .anySatisfy(mount -> assertThat(path.equals(mount) || path.startsWith(mount + "/")).isTrue());
            Path local = directory.resolve("pod" + path);
            if (fileReference.group(1).equals("directory")) {
                Files.createDirectories(local);
                Files.writeString(local.resolve(fileReference.group(3)), "secret-" + fileReference.group(3) + "-0123456789abcdef\n");
            } else {
                secretFiles.computeIfAbsent(local, p -> new LinkedHashSet<>()).add(fileReference.group(3));
            }
        }
        for (Map.Entry<Path, Set<String>> file : secretFiles.entrySet()) {
            Files.createDirectories(file.getKey().getParent());
            Files.write(file.getKey(), file.getValue().stream().map(k -> k + "=secret-" + k + "-0123456789abcdef").toList());
        }
        Matcher plainPath = PLAIN_PATH.matcher(text);
        while (plainPath.find()) {
            String path = plainPath.group(1);
            assertThat(mounts).as(what + " finds " + path + " on a mounted secret").anySatisfy(mount -> assertThat(path).startsWith(mount + "/"));
        }
        for (String mount : mounts) {
            rewritten = rewritten.replace(":" + mount + "/", ":" + directory.resolve("pod" + mount) + "/")
                    .replace(":" + mount + ":", ":" + directory.resolve("pod" + mount) + ":");
        }
        Path file = directory.resolve(key);
        return Files.writeString(file, rewritten);
    }

    private static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).setScale(0, java.math.RoundingMode.UNNECESSARY).longValueExact();
    }

    private static long heapMib(String javaOptions) {
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(javaOptions);
        assertThat(xmx.find()).as("-Xmx<n>m in " + javaOptions).isTrue();
        assertThat(javaOptions).contains("-Xms" + xmx.group(1) + "m");
        return Long.parseLong(xmx.group(1));
    }

    private static Map<String, JsonNode> byKindAndName(List<ObjectNode> objects) {
        Map<String, JsonNode> map = new TreeMap<>();
        objects.forEach(object -> map.put(object.path("kind").asText() + "/" + object.path("metadata").path("name").asText(), object));
        return map;
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
