package io.parley.bench.pipeline;

import io.parley.registry.embedded.EmbeddedSchemaRegistry;
import io.parley.serde.AvroSerdeConfig;
import io.parley.serde.registry.InMemorySchemaRegistry;
import io.parley.worker.WorkerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.clients.admin.StreamsGroupSubtopologyDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processors and workers each in a JVM of its own, as an operator runs them, for the failover
 * scenario: an instance can be killed ({@code kill -9}), stopped (SIGTERM) and started again in
 * place, with the same processor.yaml and state directory, as a restarted pod with its volume.
 */
public final class FailoverPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverPipeline.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String PROCESSOR_HEAP = "384m";
    private static final String WORKER_HEAP = "256m";
    static final String RESTORED_RECORDS = "parley_state_restored_records_total";

    /**
     * How the processors belong to their group.
     *
     * @param staticMembership each instance gets {@code membership.instanceId} (its name)
     * @param sessionTimeout {@code membership.sessionTimeout}; empty for Kafka's own 45 s (the "before")
     * @param standbyReplicas {@code num.standby.replicas}
     * @param leaveGroupOnShutdown {@code membership.leaveGroupOnShutdown}
     */
    public record Membership(boolean staticMembership, Optional<Duration> sessionTimeout, int standbyReplicas,
                             boolean leaveGroupOnShutdown) {

        public Map<String, Object> describe() {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("membership", staticMembership ? "static (membership.instanceId per instance)" : "dynamic");
            description.put("session.timeout", sessionTimeout.map(d -> d.toMillis() + " ms").orElse("45000 ms (Kafka default)"));
            description.put("num.standby.replicas", standbyReplicas);
            description.put("leaveGroupOnShutdown", leaveGroupOnShutdown);
            return description;
        }
    }

    private final PipelineConfig config;
    private final List<Process> workers;
    private final Optional<EmbeddedSchemaRegistry> registry;
    private final List<Path> processorYamls;
    private final List<Integer> adminPorts;
    private final List<ChildJvmProcessor> processors;
    /** Each processor's JVM options besides its heap, for its next start. */
    private final List<List<String>> jvmOptions = new ArrayList<>();
    private ProcessorOptions options = ProcessorOptions.defaults();

    private FailoverPipeline(PipelineConfig config, List<Process> workers, Optional<EmbeddedSchemaRegistry> registry,
                             List<Path> processorYamls, List<Integer> adminPorts) {
        this.config = config;
        this.workers = workers;
        this.registry = registry;
        this.processorYamls = processorYamls;
        this.adminPorts = adminPorts;
        this.processors = new ArrayList<>();
    }

    /** Starts {@code workerCount} workers, then {@code processorCount} processors, and returns once all run. */
    public static FailoverPipeline start(PipelineConfig config, int processorCount, int workerCount, Membership membership,
                                         ProcessorOptions options) throws Exception {
        return start(config, processorCount, workerCount, membership, options, processor -> List.of());
    }

    /**
     * The same, processor {@code i} started the first time with {@code firstStartOptions.apply(i)} besides the
     * {@link ProcessorOptions}' JVM options (e.g. a training run's that writes class data of its own at its exit);
     * its restarts keep them until {@link #startProcessor(int, List)} gives others.
     */
    public static FailoverPipeline start(PipelineConfig config, int processorCount, int workerCount, Membership membership,
                                         ProcessorOptions options, IntFunction<List<String>> firstStartOptions) throws Exception {
        ProcessorSettings processorSettings = new ProcessorSettings(config);
        WorkerSettings workerSettings = new WorkerSettings(config);
        Path folder = config.workDirectory();
        Optional<String> scope = new AvroSerdeConfig(config.schemaRegistry()).mockScope();
        Optional<EmbeddedSchemaRegistry> registry = scope.map(s -> EmbeddedSchemaRegistry.start(InMemorySchemaRegistry.forScope(s)));
        Map<String, Object> serde = new HashMap<>(config.schemaRegistry());
        registry.ifPresent(r -> serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, r.url()));

        Map<String, Object> workerYaml = new LinkedHashMap<>(workerSettings.workerYaml());
        workerYaml.put("schemaRegistry", ConfigFiles.strings(serde));
        ConfigFiles.write(folder.resolve(WorkerSettings.CONNECTOR_FILE), workerSettings.connectorsYaml());
        Path workerFile = ConfigFiles.write(folder.resolve("worker.yaml"), workerYaml);

        List<Path> yamls = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < processorCount; i++) {
            int port = ChildJvmProcessor.freePort();
            Map<String, Object> yaml = new LinkedHashMap<>(processorSettings.yaml(serde, port));
            @SuppressWarnings("unchecked")
            Map<String, String> kafka = new LinkedHashMap<>((Map<String, String>) yaml.get("kafka"));
            kafka.put("state.dir", folder.resolve("processor-" + i + "-state").toString());
            kafka.put("num.standby.replicas", Integer.toString(membership.standbyReplicas()));
            kafka.putAll(options.kafka());
            yaml.put("kafka", kafka);
            Map<String, Object> section = new LinkedHashMap<>();
            if (membership.staticMembership()) {
                section.put("instanceId", "processor-" + i);
            }
            // The "before": Kafka's own 45 s session, set where it wins over the membership section.
            membership.sessionTimeout().ifPresentOrElse(t -> section.put("sessionTimeout", t.toMillis() + "ms"),
                    () -> kafka.put("session.timeout.ms", "45000"));
            if (membership.leaveGroupOnShutdown()) {
                section.put("leaveGroupOnShutdown", true);
            }
            if (options.streamsProtocol()) {
                section.put("protocol", options.protocol());
            }
            if (!section.isEmpty()) {
                yaml.put("membership", section);
            }
            yamls.add(ConfigFiles.write(folder.resolve("processor-" + i + ".yaml"), yaml));
            ports.add(port);
        }

        List<Process> workers = new ArrayList<>();
        FailoverPipeline pipeline = new FailoverPipeline(config, workers, registry, yamls, ports);
        pipeline.options = options;
        try (Admin admin = Admin.create(new HashMap<>(config.kafka()))) {
            new ShareGroups(admin).startAtEarliest(workerSettings.groupId());
            for (int i = 0; i < workerCount; i++) {
                workers.add(startWorker(workerFile, folder.resolve("worker-" + i + ".log")));
            }
            new ShareGroups(admin).awaitAssigned(workerSettings.groupId(), workerSettings.consumers() * workerCount, START_TIMEOUT);
            for (int i = 0; i < processorCount; i++) {
                pipeline.processors.add(null);
                List<String> jvm = new ArrayList<>(options.jvmOptions());
                jvm.addAll(firstStartOptions.apply(i));
                pipeline.jvmOptions.add(List.copyOf(jvm));
            }
            for (int i = 0; i < processorCount; i++) {
                pipeline.startProcessor(i);
            }
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private static Process startWorker(Path workerYaml, Path log) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ChildJvm.ENABLE_NATIVE_ACCESS, "-Xmx" + WORKER_HEAP,
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), "--config", workerYaml.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LOG.info("Worker JVM {} started; log {}", process.pid(), log);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a JVM for the worker: " + e.getMessage(), e);
        }
    }

    /**
     * Starts processor {@code i} (again) with its configuration and state directory, and the JVM options of its last
     * start (at first the {@link ProcessorOptions}' ones); returns once it is ready.
     */
    public void startProcessor(int i) throws InterruptedException {
        processors.set(i, ChildJvmProcessor.start(processorYamls.get(i), adminPorts.get(i), PROCESSOR_HEAP, jvmOptions.get(i),
                config.workDirectory().resolve("processor-" + i + "-" + System.currentTimeMillis() + ".log"), START_TIMEOUT));
    }

    /** The same with other JVM options (besides its heap), which its later starts keep. */
    public void startProcessor(int i, List<String> jvmOptions) throws InterruptedException {
        this.jvmOptions.set(i, List.copyOf(jvmOptions));
        startProcessor(i);
    }

    /** {@code kill -9} of processor {@code i}. */
    public void kill(int i) throws InterruptedException {
        processors.get(i).kill();
    }

    /** SIGTERM of processor {@code i}, waiting until it has exited. */
    public void stop(int i) {
        processors.get(i).close();
    }

    /**
     * The partitions of the chat events topic processor {@code i} is assigned, from the group's
     * description (a static member's instance id is its name, {@code processor-i}, with the stream
     * thread appended).
     */
    public Set<Integer> chatPartitionsOf(int i) throws Exception {
        String applicationId = new ProcessorSettings(config).applicationId();
        String chatEvents = config.topics().chatEvents();
        if (options.streamsProtocol()) {
            return chatPartitionsInStreamsGroup(i, applicationId, chatEvents);
        }
        try (Admin admin = Admin.create(new HashMap<>(config.kafka()))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups()
                    .get(applicationId).get(30, TimeUnit.SECONDS);
            Set<Integer> partitions = new TreeSet<>();
            for (MemberDescription member : group.members()) {
                boolean mine = processors.size() == 1
                        || member.groupInstanceId().map(id -> id.startsWith("processor-" + i + "-")).orElse(false);
                if (mine) {
                    member.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(chatEvents))
                            .forEach(tp -> partitions.add(tp.partition()));
                }
            }
            return partitions;
        }
    }

    /** The same under {@code membership.protocol: streams}: a streams group assigns tasks (subtopology, partitions). */
    private Set<Integer> chatPartitionsInStreamsGroup(int i, String applicationId, String chatEvents) throws Exception {
        try (Admin admin = Admin.create(new HashMap<>(config.kafka()))) {
            StreamsGroupDescription group = admin.describeStreamsGroups(List.of(applicationId)).describedGroups()
                    .get(applicationId).get(30, TimeUnit.SECONDS);
            Set<String> chatSubtopologies = new TreeSet<>();
            for (StreamsGroupSubtopologyDescription subtopology : group.subtopologies()) {
                if (subtopology.sourceTopics().contains(chatEvents)) {
                    chatSubtopologies.add(subtopology.subtopologyId());
                }
            }
            Set<Integer> partitions = new TreeSet<>();
            String name = "processor-" + i;
            for (StreamsGroupMemberDescription member : group.members()) {
                boolean mine = processors.size() == 1
                        || member.instanceId().map(id -> id.equals(name) || id.startsWith(name + "-")).orElse(false);
                if (mine) {
                    member.assignment().activeTasks().stream()
                            .filter(task -> chatSubtopologies.contains(task.subtopologyId()))
                            .forEach(task -> partitions.addAll(task.partitions()));
                }
            }
            return partitions;
        }
    }

    public int processorCount() {
        return processors.size();
    }

    /**
     * Waits until the processors' group has committed every record of the chat events topic, that is
     * processed everything produced so far (the seeded sessions are stored).
     *
     * @return whether it had within {@code timeout}
     */
    public boolean awaitConsumed(Duration timeout) throws Exception {
        String applicationId = new ProcessorSettings(config).applicationId();
        String chatEvents = config.topics().chatEvents();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(new HashMap<>(config.kafka()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(chatEvents)).allTopicNames().get(30, TimeUnit.SECONDS).get(chatEvents).partitions()
                    .forEach(p -> latest.put(new TopicPartition(chatEvents, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                if (ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()))) {
                    return true;
                }
                Thread.sleep(250);
            }
            return false;
        }
    }

    /**
     * The records processor {@code i} has restored into its stores from their changelogs since it
     * started ({@code parley_state_restored_records_total}, all stores), read from its {@code /metrics}.
     */
    public long restoredRecords(int i) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(processors.get(i).adminUrl() + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Processor " + i + "'s /metrics answered HTTP " + response.statusCode());
            }
            return (long) MetricsSamples.parse(response.body()).sum(RESTORED_RECORDS, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read processor " + i + "'s /metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading processor " + i + "'s /metrics", e);
        }
    }

    /** Whether processor {@code i}'s JVM runs (not killed or stopped). */
    public boolean isAlive(int i) {
        return processors.get(i) != null && processors.get(i).isAlive();
    }

    /** The process id of processor {@code i} (its current JVM). */
    public long processorPid(int i) {
        return processors.get(i).pid();
    }

    /** The process ids of the worker JVMs. */
    public List<Long> workerPids() {
        return workers.stream().map(Process::pid).toList();
    }

    @Override
    public void close() {
        for (ChildJvmProcessor processor : processors) {
            if (processor != null && processor.isAlive()) {
                processor.close();
            }
        }
        for (Process worker : workers) {
            worker.destroy();
            try {
                if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            } catch (InterruptedException e) {
                worker.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        registry.ifPresent(EmbeddedSchemaRegistry::close);
    }
}
