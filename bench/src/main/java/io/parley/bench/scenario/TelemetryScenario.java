package io.parley.bench.scenario;

import io.parley.bench.kafka.ScenarioTopics;
import io.parley.bench.pipeline.ProcessingGuarantee;
import io.parley.bench.pipeline.ResidentSet;
import io.parley.bench.report.Figures;
import io.parley.bench.report.Measurement;
import io.parley.bench.report.ScenarioResult;
import io.parley.bench.report.Target;
import io.parley.processor.ParleyProcessor;
import io.parley.processor.config.ProcessorConfig;
import io.parley.processor.config.TelemetrySettings;
import io.parley.processor.flow.FlowSource;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Device;
import io.parley.schemas.ReplyKind;
import io.parley.schemas.TelemetryEvent;
import io.parley.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * S8: telemetry through the trigger rules. A processor in the bench JVM with 10 rules (every kind) over one
 * metric, {@code devices} devices in its device table; per processing guarantee:
 * <ol>
 *   <li>throughput: after a warm-up of {@link #WARM_UP_ROUNDS} measurements per device (sent, processed and not
 *       counted, as S2 warms its pipeline), {@code events} measurements sent round-robin over the devices as fast as
 *       the producer goes; the figure is measurements over the time until the processor's committed offsets reach the end
 *       of {@code iot.telemetry} (every measurement evaluated by the 10 rules, its state stored and committed);</li>
 *   <li>alert latency: {@code probes} alerts provoked one at a time on a probe device whose owner has a
 *       conversation; each from the send of the measurement to its notification on the reply topic;</li>
 *   <li>resident set of the JVM that holds the processor (the bench JVM: the figure includes the bench's own
 *       producer and consumer, so it is an upper bound for the processor);</li>
 *   <li>the CPU time of the throughput phase per measurement, by kind of thread ({@link ThreadCpuSplit}: processor
 *       stream threads, the processor's producer, the load generator, the broker, GC, JIT, RocksDB): a figure that
 *       the machine's other tenants hardly change.</li>
 * </ol>
 * A second, clearly separate at_least_once figure, {@code alos.drain.*}: the processor is started only once all
 * {@code events} measurements are in {@code iot.telemetry}, so the load generator's CPU (encoding the Avro records)
 * is not on the cores while it drains them; measurements over the time from the processor running to its committed
 * offsets at the end of the topic. The default figures above keep the load generator running at the same time.
 *
 * <p>The processor runs {@link TelemetryLoad#streamThreads()} stream threads (by default one per core, as an operator
 * would run it, at most one per partition).</p>
 * Grace is 0 s (measurements arrive in order), so an alert does not wait for the next measurement.
 * Not in the default run: select it with {@code --scenarios S8}.
 */
public final class TelemetryScenario implements Scenario {

    /** Measurements per device sent and processed before a live phase is timed (the drain phase comes last, warm). */
    static final int WARM_UP_ROUNDS = 2;

    static final Target ALOS_THROUGHPUT = Target.atLeast(50_000);
    static final String PROBE_USER = "probe-user";
    static final String PROBE_DEVICE = "probe-device";
    static final Duration RUNNING_TIMEOUT = Duration.ofMinutes(2);
    static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(10);
    static final Duration ALERT_TIMEOUT = Duration.ofSeconds(30);
    static final int RULES = 10;
    /**
     * Record-cache bytes per device: a device's state with the 10 rules is about 520 bytes (format 2), plus its key
     * and the cache's own bookkeeping (about 620 bytes in all); the cache holds every device so a device's state is
     * read from memory. Kafka Streams divides {@code statestore.cache.max.bytes} by the stream threads plus one when
     * the topology has a global store (the device table is one), so {@link #cacheBytes(int, int)} budgets for that.
     */
    static final long CACHE_BYTES_PER_DEVICE = 1_024;

    private final TelemetryLoad load;

    public TelemetryScenario(TelemetryLoad load) {
        this.load = load;
    }

    @Override
    public String id() {
        return "S8";
    }

    @Override
    public String title() {
        return "telemetry through trigger rules";
    }

    @Override
    public Map<String, Object> configuration(ScenarioContext context) {
        Map<String, Object> configuration = new LinkedHashMap<>(context.settings().describe());
        configuration.put("devices", load.devices());
        configuration.put("rulesPerDevice", RULES);
        configuration.put("events", load.events());
        configuration.put("warmUp", WARM_UP_ROUNDS + " measurements per device before each live phase, not counted");
        configuration.put("probes", load.probes());
        configuration.put("grace", "0s");
        configuration.put("statestore.cache.max.bytes", cacheBytes(load.devices(), streamThreads(context)));
        configuration.put("processor.placement", "in the bench JVM");
        configuration.put("stream.threads", streamThreads(context));
        return configuration;
    }

    @Override
    public List<Measurement> planned(ScenarioContext context) {
        List<Measurement> lines = new ArrayList<>();
        for (ProcessingGuarantee guarantee : ProcessingGuarantee.values()) {
            lines.addAll(lines(guarantee, null));
        }
        lines.addAll(drainLines(null));
        return lines;
    }

    private List<Measurement> lines(ProcessingGuarantee guarantee, Figures8 figures) {
        String g = guarantee.configValue();
        String key = guarantee == ProcessingGuarantee.AT_LEAST_ONCE ? "alos" : "eos";
        String at = " (" + Figures.count(load.devices()) + " devices x " + RULES + " rules, " + g + ")";
        List<Measurement> lines = new ArrayList<>(List.of(
                Outcomes.line(key + ".throughput", "measurements/s through the rules" + at, "events/s",
                        figures == null ? OptionalDouble.empty() : OptionalDouble.of(figures.throughput()),
                        guarantee == ProcessingGuarantee.AT_LEAST_ONCE ? Optional.of(ALOS_THROUGHPUT) : Optional.empty()),
                Outcomes.line(key + ".alert.p50", "alert latency p50, measurement to notification (" + g + ")", "ms",
                        figures == null ? OptionalDouble.empty() : OptionalDouble.of(figures.p50()), Optional.empty()),
                Outcomes.line(key + ".alert.p99", "alert latency p99, measurement to notification (" + g + ")", "ms",
                        figures == null ? OptionalDouble.empty() : OptionalDouble.of(figures.p99()), Optional.empty()),
                Outcomes.line(key + ".rss", "resident set of the JVM holding the processor (" + g + ")", "MB",
                        figures == null ? OptionalDouble.empty() : OptionalDouble.of(figures.rssMb()), Optional.empty())));
        lines.addAll(cpuLines(key, g, figures == null ? null : figures.cpu()));
        return lines;
    }

    private List<Measurement> drainLines(Drain drain) {
        List<Measurement> lines = new ArrayList<>();
        lines.add(Outcomes.line("alos.drain.throughput", "measurements/s draining a pre-filled topic, load generator idle ("
                        + Figures.count(load.devices()) + " devices x " + RULES + " rules, at_least_once)", "events/s",
                drain == null ? OptionalDouble.empty() : OptionalDouble.of(drain.throughput()), Optional.empty()));
        lines.addAll(cpuLines("alos.drain", "at_least_once, pre-filled topic", drain == null ? null : drain.cpu()));
        return lines;
    }

    /** The CPU split lines of a phase: microseconds per measurement by kind of thread. */
    private static List<Measurement> cpuLines(String key, String what, Map<String, Double> cpu) {
        List<Measurement> lines = new ArrayList<>();
        for (String kind : ThreadCpuSplit.KINDS) {
            lines.add(Outcomes.line(key + ".cpu." + slug(kind), "CPU per measurement, " + kind + " (" + what + ")", "us",
                    cpu == null ? OptionalDouble.empty() : OptionalDouble.of(cpu.getOrDefault(kind, 0.0)), Optional.empty()));
        }
        return lines;
    }

    static String slug(String kind) {
        return switch (kind) {
            case ThreadCpuSplit.TOTAL -> "total";
            case ThreadCpuSplit.STREAM -> "stream";
            case ThreadCpuSplit.PROCESSOR_PRODUCER -> "processor-producer";
            case ThreadCpuSplit.GLOBAL -> "global";
            case ThreadCpuSplit.LOAD -> "load";
            case ThreadCpuSplit.LOAD_PRODUCER -> "load-producer";
            case ThreadCpuSplit.BROKER -> "broker";
            case ThreadCpuSplit.GC -> "gc";
            case ThreadCpuSplit.JIT -> "jit";
            case ThreadCpuSplit.ROCKSDB -> "rocksdb";
            case ThreadCpuSplit.OTHER_NATIVE -> "jvm-native";
            default -> "remainder";
        };
    }

    /** What one guarantee measured; {@code cpu} is microseconds per measurement of the throughput phase by kind. */
    record Figures8(double throughput, double p50, double p99, double rssMb, Map<String, Double> cpu) {
    }

    /** What the drain of a pre-filled topic measured. */
    record Drain(double throughput, Map<String, Double> cpu) {
    }

    /** Live throughput figure and its CPU split. */
    private record Throughput(double perSecond, Map<String, Double> cpu) {
    }

    private int streamThreads(ScenarioContext context) {
        return load.streamThreads() > 0 ? load.streamThreads()
                : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), context.settings().partitions()));
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        List<Measurement> lines = new ArrayList<>();
        for (ProcessingGuarantee guarantee : ProcessingGuarantee.values()) {
            lines.addAll(lines(guarantee, measure(context, guarantee)));
        }
        lines.addAll(drainLines(drain(context)));
        return ScenarioResult.completed(id(), title(), configuration(context), List.of(), lines);
    }

    private Figures8 measure(ScenarioContext context, ProcessingGuarantee guarantee) throws Exception {
        String scenario = "S8-" + (guarantee == ProcessingGuarantee.AT_LEAST_ONCE ? "alos" : "eos");
        ScenarioTopics scenarioTopics = prepare(context, scenario);
        Topics topics = scenarioTopics.topics();
        String applicationId = applicationId(context, scenario);
        try {
            publishDevices(context, topics);
            try (ParleyProcessor processor = ParleyProcessor.start(processorConfig(context, scenarioTopics, scenario, guarantee));
                 KafkaConsumer<String, ChatReply> replies = replyConsumer(context, topics)) {
                if (!processor.awaitRunning(RUNNING_TIMEOUT)) {
                    throw new IllegalStateException("the processor did not run within " + RUNNING_TIMEOUT.toSeconds() + " s");
                }
                introduceProbeUser(context, topics, replies);
                Throughput throughput = throughput(context, topics, applicationId);
                long rss = ResidentSet.of(ProcessHandle.current().pid(), "bench JVM");
                List<Double> latencies = alertLatencies(context, topics, replies);
                Collections.sort(latencies);
                return new Figures8(throughput.perSecond(), percentile(latencies, 0.50), percentile(latencies, 0.99),
                        rss / (1024.0 * 1024.0), throughput.cpu());
            }
        } finally {
            context.kafka().deleteTopics(scenarioTopics.all());
        }
    }

    /**
     * The second at_least_once figure: all measurements are written to {@code iot.telemetry} first, then the
     * processor starts and drains them; from the processor running to its committed offsets at the end.
     */
    private Drain drain(ScenarioContext context) throws Exception {
        String scenario = "S8-drain";
        ScenarioTopics scenarioTopics = prepare(context, scenario);
        Topics topics = scenarioTopics.topics();
        String applicationId = applicationId(context, scenario);
        try {
            publishDevices(context, topics);
            try (KafkaProducer<String, TelemetryEvent> producer = new KafkaProducer<>(producerConfig(context),
                    new StringSerializer(), topics.iotTelemetry().valueSerde().serializer())) {
                sendLoad(producer, topics);
            }
            ProcessorConfig config = processorConfig(context, scenarioTopics, scenario, ProcessingGuarantee.AT_LEAST_ONCE);
            try (ParleyProcessor processor = ParleyProcessor.start(config)) {
                if (!processor.awaitRunning(RUNNING_TIMEOUT)) {
                    throw new IllegalStateException("the processor did not run within " + RUNNING_TIMEOUT.toSeconds() + " s");
                }
                long loadThread = Thread.currentThread().getId();
                ThreadCpuSplit before = ThreadCpuSplit.now(loadThread);
                long started = System.nanoTime();
                awaitCaughtUp(context, topics.iotTelemetry().name(), applicationId);
                double seconds = (System.nanoTime() - started) / 1e9;
                ThreadCpuSplit after = ThreadCpuSplit.now(loadThread);
                return new Drain(load.events() / seconds, after.microsPerUnitSince(before, load.events()));
            }
        } finally {
            context.kafka().deleteTopics(scenarioTopics.all());
        }
    }

    private static ScenarioTopics prepare(ScenarioContext context, String scenario) {
        ScenarioTopics scenarioTopics = context.topicsFor(scenario);
        context.kafka().createTopics(context.settings().partitions(), scenarioTopics.all());
        context.kafka().setTopicConfig(scenarioTopics.names().iotDevices(), TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT);
        return scenarioTopics;
    }

    private static String applicationId(ScenarioContext context, String scenario) {
        return "bench-" + context.runId() + "-" + scenario.toLowerCase(java.util.Locale.ROOT);
    }

    private ProcessorConfig processorConfig(ScenarioContext context, ScenarioTopics scenarioTopics, String scenario,
                                            ProcessingGuarantee guarantee) throws Exception {
        Path directory = context.newDirectory(scenario.toLowerCase(java.util.Locale.ROOT));
        Path rules = directory.resolve("rules.yaml");
        Files.writeString(rules, rulesFile(), StandardCharsets.UTF_8);
        return ProcessorConfig.builder()
                .kafka(stringMap(context.kafka().clientConfig()))
                .kafka("application.id", applicationId(context, scenario))
                .kafka("processing.guarantee", guarantee.configValue())
                .kafka("num.stream.threads", Integer.toString(streamThreads(context)))
                .kafka("statestore.cache.max.bytes", Long.toString(cacheBytes(load.devices(), streamThreads(context))))
                .kafka("state.dir", Files.createDirectories(directory.resolve("state")).toString())
                .schemaRegistry(stringMap(context.serdeConfig()))
                .topics(scenarioTopics.names())
                .flows(List.of(FlowSource.classpath("flows/demo-shop.yaml")))
                .telemetry(TelemetrySettings.rules(FlowSource.file(rules)))
                .adminPort(0)
                .build();
    }

    /** Ten rules over {@code temperature}, one or more of every kind; only the probe rule ever fires on bench data. */
    static String rulesFile() {
        return """
                grace: 0s
                checkEvery: 1s
                rules:
                  - {name: probe, metric: temperature, kind: threshold, above: 50, message: "{{device.name}} at {{value}}"}
                  - {name: too-cold, metric: temperature, kind: threshold, below: -1000, message: "{{device.name}} cold"}
                  - {name: warm-held, metric: temperature, kind: held, above: 1000, for: 5m, message: "{{device.name}} warm"}
                  - {name: avg-1m, metric: temperature, kind: aggregate, aggregate: avg, window: 1m, above: 1000, message: "avg"}
                  - {name: max-5m, metric: temperature, kind: aggregate, aggregate: max, window: 5m, advance: 1m, above: 1000, message: "max"}
                  - {name: count-1m, metric: temperature, kind: aggregate, aggregate: count, window: 1m, above: 100000, message: "count"}
                  - {name: min-10m, metric: temperature, kind: aggregate, aggregate: min, window: 10m, below: -1000, message: "min"}
                  - {name: rising, metric: temperature, kind: rate, per: 1m, above: 100000, message: "rising"}
                  - {name: falling, metric: temperature, kind: rate, per: 1m, below: -100000, message: "falling"}
                  - {name: silent, metric: temperature, kind: absence, after: 1h, message: "silent"}
                """;
    }

    private void publishDevices(ScenarioContext context, Topics topics) throws Exception {
        try (KafkaProducer<String, Device> producer = new KafkaProducer<>(producerConfig(context),
                new StringSerializer(), topics.iotDevices().valueSerde().serializer())) {
            for (int i = 0; i < load.devices(); i++) {
                String id = device(i);
                producer.send(new ProducerRecord<>(topics.iotDevices().name(), id, Device.newBuilder().setDeviceId(id)
                        .setOwnerUserId("owner-" + (i % 1_000)).setName("Device " + i).setLocation("site " + (i % 100))
                        .setThresholds(Map.of()).build()));
            }
            producer.send(new ProducerRecord<>(topics.iotDevices().name(), PROBE_DEVICE, Device.newBuilder().setDeviceId(PROBE_DEVICE)
                    .setOwnerUserId(PROBE_USER).setName("Probe").setLocation("bench").setThresholds(Map.of()).build())).get();
        }
    }

    /** The probe user says something, so the user directory knows where to deliver their alerts. */
    private static void introduceProbeUser(ScenarioContext context, Topics topics, KafkaConsumer<String, ChatReply> replies)
            throws Exception {
        String conversation = "s8-probe-" + UUID.randomUUID();
        try (KafkaProducer<String, ChatEvent> producer = new KafkaProducer<>(producerConfig(context), new StringSerializer(),
                topics.chatEvents().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topics.chatEvents().name(), conversation, ChatEvent.newBuilder()
                    .setEventId(conversation).setConversationId(conversation).setUserId(PROBE_USER).setChannel("bench")
                    .setType(ChatEventType.MESSAGE).setText("xyzzy plugh").setPayload(Map.of()).setOccurredAt(Instant.now())
                    .build())).get();
        }
        long deadline = System.nanoTime() + ALERT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, ChatReply> reply : replies.poll(Duration.ofMillis(100))) {
                if (reply.key().equals(conversation)) {
                    return;
                }
            }
        }
        throw new IllegalStateException("the probe user's first message got no reply within " + ALERT_TIMEOUT.toSeconds() + " s");
    }

    private Throughput throughput(ScenarioContext context, Topics topics, String applicationId) throws Exception {
        try (KafkaProducer<String, TelemetryEvent> producer = new KafkaProducer<>(producerConfig(context), new StringSerializer(),
                topics.iotTelemetry().valueSerde().serializer())) {
            long base = Instant.now().toEpochMilli();
            // Warm-up, not counted (as S2 warms its pipeline): every device gets its state and the JIT compiles the path.
            int warmUp = WARM_UP_ROUNDS * load.devices();
            sendLoad(producer, topics, base, 0, warmUp);
            producer.flush();
            awaitCaughtUp(context, topics.iotTelemetry().name(), applicationId);
            long loadThread = Thread.currentThread().getId();
            ThreadCpuSplit before = ThreadCpuSplit.now(loadThread);
            long started = System.nanoTime();
            sendLoad(producer, topics, base, warmUp, load.events());
            producer.flush();
            awaitCaughtUp(context, topics.iotTelemetry().name(), applicationId);
            double seconds = (System.nanoTime() - started) / 1e9;
            // Before the producer closes, so its I/O thread is still there to be read.
            ThreadCpuSplit after = ThreadCpuSplit.now(loadThread);
            return new Throughput(load.events() / seconds, after.microsPerUnitSince(before, load.events()));
        }
    }

    /** The measurements of the drain phase: round-robin over the devices from now. */
    private void sendLoad(KafkaProducer<String, TelemetryEvent> producer, Topics topics) {
        sendLoad(producer, topics, Instant.now().toEpochMilli(), 0, load.events());
    }

    /**
     * Measurements {@code first} to {@code first + count - 1} of a run starting at {@code base}: round-robin over the
     * devices, one per device every 10 s of event time.
     */
    private void sendLoad(KafkaProducer<String, TelemetryEvent> producer, Topics topics, long base, int first, int count) {
        for (int i = first; i < first + count; i++) {
            int device = i % load.devices();
            int round = i / load.devices();
            String id = device(device);
            // One measurement per device every 10 s of event time: the windows open and close as in the field.
            producer.send(new ProducerRecord<>(topics.iotTelemetry().name(), id, TelemetryEvent.newBuilder()
                    .setEventId(id + "/" + round).setDeviceId(id).setMetric("temperature").setValue(-19 + (i % 7) * 0.1)
                    .setEventTime(Instant.ofEpochMilli(base + round * 10_000L)).setAttributes(Map.of()).build()));
        }
    }

    /** Waits until the processor's group has committed the end of the telemetry topic. */
    private static void awaitCaughtUp(ScenarioContext context, String topic, String groupId) throws Exception {
        Map<String, Object> adminConfig = new HashMap<>(context.kafka().clientConfig());
        try (Admin admin = Admin.create(adminConfig)) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
            long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata().get();
                boolean done = partitions.stream().allMatch(p -> committed.get(p) != null
                        && committed.get(p).offset() >= ends.get(p).offset());
                if (done) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("the processor did not read " + topic + " to its end within "
                    + CATCH_UP_TIMEOUT.toMinutes() + " min");
        }
    }

    /** Provokes alerts one at a time: the probe device goes warm (fires), then cold (re-arms), and again. */
    private List<Double> alertLatencies(ScenarioContext context, Topics topics, KafkaConsumer<String, ChatReply> replies)
            throws Exception {
        List<Double> latencies = new ArrayList<>();
        long eventTime = Instant.now().toEpochMilli() + 3_600_000;
        try (KafkaProducer<String, TelemetryEvent> producer = new KafkaProducer<>(producerConfig(context), new StringSerializer(),
                topics.iotTelemetry().valueSerde().serializer())) {
            for (int i = 0; i < load.probes(); i++) {
                producer.send(probe(topics, "cold-" + i, 0, eventTime++)).get();
                long sent = System.nanoTime();
                producer.send(probe(topics, "warm-" + i, 100, eventTime++));
                producer.flush();
                String alertId = "alert/" + PROBE_DEVICE + "/probe/" + (eventTime - 1);
                awaitAlert(replies, alertId);
                latencies.add((System.nanoTime() - sent) / 1e6);
            }
        }
        return latencies;
    }

    private static ProducerRecord<String, TelemetryEvent> probe(Topics topics, String id, double value, long eventTime) {
        return new ProducerRecord<>(topics.iotTelemetry().name(), PROBE_DEVICE, TelemetryEvent.newBuilder().setEventId(id)
                .setDeviceId(PROBE_DEVICE).setMetric("temperature").setValue(value).setEventTime(Instant.ofEpochMilli(eventTime))
                .setAttributes(Map.of()).build());
    }

    private static void awaitAlert(KafkaConsumer<String, ChatReply> replies, String alertId) {
        long deadline = System.nanoTime() + ALERT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, ChatReply> reply : replies.poll(Duration.ofMillis(5))) {
                if (reply.value().getKind() == ReplyKind.NOTIFICATION && alertId.equals(reply.value().getData().get("alert.id"))) {
                    return;
                }
            }
        }
        throw new IllegalStateException("alert " + alertId + " did not arrive within " + ALERT_TIMEOUT.toSeconds() + " s");
    }

    private static KafkaConsumer<String, ChatReply> replyConsumer(ScenarioContext context, Topics topics) {
        Map<String, Object> config = new HashMap<>(context.kafka().clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "s8-replies-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, ChatReply> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                topics.defaultReplies().valueSerde().deserializer());
        consumer.subscribe(List.of(topics.defaultReplies().name()));
        return consumer;
    }

    private static Map<String, Object> producerConfig(ScenarioContext context) {
        Map<String, Object> config = new HashMap<>(context.kafka().clientConfig());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return config;
    }

    private static Map<String, String> stringMap(Map<String, ?> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }

    /**
     * The Streams record cache for {@code devices} over {@code streamThreads} threads: Kafka Streams gives each
     * stream thread {@code statestore.cache.max.bytes / (threads + 1)} when there is a global store (the "+ 1" is the
     * global thread's share, unused here: the device table is not cached), and a thread's partitions hold about
     * {@code devices / threads} devices. At least Kafka's 10 MB default. Sized for a share of the devices only (as
     * before 2026-12-04 23:30: {@code devices x 1 KB} in all, 50 MB a thread for 100,000 devices), the least recently
     * used device is always the next to report in S8's round-robin, so every read misses the cache, goes to RocksDB
     * and evicts (flushes) another device.
     */
    static long cacheBytes(int devices, int streamThreads) {
        long perThread = (long) Math.ceil(devices / (double) streamThreads) * CACHE_BYTES_PER_DEVICE;
        return Math.max(10L * 1024 * 1024, perThread * (streamThreads + 1));
    }

    private static String device(int index) {
        return "device-" + index;
    }

    static double percentile(List<Double> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
