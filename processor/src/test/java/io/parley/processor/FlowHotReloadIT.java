package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.processor.audit.AuditTrail;
import io.parley.processor.cli.FlowsCommand;
import io.parley.processor.config.FlowSettings;
import io.parley.processor.config.ProcessorConfig;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 part 2 on a real broker: two processor instances read their flows from parley.flows; 1,000
 * conversations are mid-turn (their backend calls held by a slow worker) when v2 is published. None is lost,
 * every one of those turns answers on v1, with v1 in every audit record of it, and the next turns answer on v2.
 */
class FlowHotReloadIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int CONVERSATIONS = 1_000;
    private static final String REGISTRY = "mock://flow-reload-it-" + UUID.randomUUID();

    @TempDir
    static Path dir;

    private static EmbeddedKafkaCluster kafka;
    private static Topics topics;
    private static FakeWorker worker;
    private static final List<ParleyProcessor> processors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start();
        TopicNames names = TopicNames.defaults();
        kafka.createTopics(2, names.chatEvents(), names.backendResponses(), names.backendRequests(), names.notifications());
        kafka.createTopics(1, names.audit(), names.deadLetters(), names.defaultReplies(), names.flows());
        topics = Topics.create(names, Map.of("schema.registry.url", REGISTRY));
        worker = new FakeWorker(kafka.bootstrapServers(), topics, request -> "{\"available\": 3}");
        assertThat(publish("v1.yaml")).isEqualTo(0);
        for (int i = 0; i < 2; i++) {
            ParleyProcessor processor = ParleyProcessor.start(ProcessorConfig.builder()
                    .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers(), "application.id", "parley-reload-it",
                            "state.dir", Files.createDirectories(dir.resolve("state-" + i)).toString()))
                    .schemaRegistry("schema.registry.url", REGISTRY)
                    .flowSettings(FlowSettings.topic("shop", Duration.ofSeconds(60), 5))
                    .adminPort(0)
                    .build());
            processors.add(processor);
        }
        for (ParleyProcessor processor : processors) {
            assertThat(processor.awaitRunning(TIMEOUT)).isTrue();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        processors.forEach(ParleyProcessor::close);
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void turnsInFlightFinishOnTheirVersionAndNoneIsLost() {
        // Given 1,000 conversations whose turns (on v1) wait for a slow backend
        worker.hold();
        List<String> conversations = new ArrayList<>();
        try (KafkaProducer<String, ChatEvent> chat = chatProducer()) {
            for (int i = 0; i < CONVERSATIONS; i++) {
                String conversation = "reload-" + i;
                conversations.add(conversation);
                chat.send(new ProducerRecord<>(topics.chatEvents().name(), conversation, event(conversation, "first", "stock " + i)));
            }
        }
        await().atMost(TIMEOUT).until(() -> worker.received().size() >= CONVERSATIONS);

        // and a record on parley.flows under the set's name that is no FlowSet at all (refused, v1 stays)
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.flows().name(), "shop", "not a flow set".getBytes(StandardCharsets.UTF_8)));
        }
        await().atMost(TIMEOUT).until(() -> processors.stream().allMatch(p -> refused(p) >= 1));

        // When v2 is published, both instances have read it, and the backend answers
        assertThat(publish("v2.yaml")).isEqualTo(0);
        await().atMost(TIMEOUT).until(() -> processors.stream().allMatch(p -> applied(p) >= 2));
        worker.release();

        // Then every held turn answers once, on v1
        Map<String, List<String>> first = replies(conversations, CONVERSATIONS);
        assertThat(first).hasSize(CONVERSATIONS);
        first.forEach((conversation, texts) -> assertThat(texts).as(conversation).singleElement().asString().startsWith("v1: "));

        // And the next turn of each of 100 conversations answers on v2
        try (KafkaProducer<String, ChatEvent> chat = chatProducer()) {
            for (String conversation : conversations.subList(0, 100)) {
                chat.send(new ProducerRecord<>(topics.chatEvents().name(), conversation, event(conversation, "second", "stock 7")));
            }
        }
        Map<String, List<String>> all = replies(conversations.subList(0, 100), 200);
        assertThat(all).hasSize(100);
        all.forEach((conversation, texts) -> {
            assertThat(texts).as(conversation).hasSize(2);
            assertThat(texts.get(0)).as(conversation).startsWith("v1: ");
            assertThat(texts.get(1)).as(conversation).isEqualTo("v2: 3 of 7 in stock");
        });

        // And no turn mixes versions in its audit records
        Map<String, Set<String>> versionsByTurn = audit().stream()
                .filter(a -> a.getConversationId() != null && a.getConversationId().startsWith("reload-"))
                .filter(a -> a.getEventId() != null || a.getRequestId() != null)
                .collect(Collectors.groupingBy(FlowHotReloadIT::turnOf,
                        Collectors.mapping(a -> a.getAttributes().get(AuditTrail.FLOW_VERSION), Collectors.toSet())));
        assertThat(versionsByTurn).hasSizeGreaterThanOrEqualTo(CONVERSATIONS);
        versionsByTurn.forEach((turn, versions) -> assertThat(versions).as(turn).hasSize(1));
    }

    /** A turn's audit records name its event, or (backend answers) a request id made from it. */
    private static String turnOf(AuditEvent audit) {
        return audit.getEventId() != null ? "event " + audit.getEventId()
                : "request " + audit.getRequestId().substring(0, Math.max(0, audit.getRequestId().lastIndexOf("/s")));
    }

    private static double refused(ParleyProcessor processor) {
        var counter = processor.meterRegistry().find("parley.flows.versions").tag("outcome", "refused").counter();
        return counter == null ? 0 : counter.count();
    }

    private static double applied(ParleyProcessor processor) {
        var counter = processor.meterRegistry().find("parley.flows.versions").tag("outcome", "applied").counter();
        return counter == null ? 0 : counter.count();
    }

    private static int publish(String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = FlowsCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8), null).execute("publish",
                "classpath:flows/hotreload/" + file, "--set", "shop", "--bootstrap-server", kafka.bootstrapServers(),
                "--schema-registry", REGISTRY, "--publisher", "it");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Published shop@");
        return exit;
    }

    private static KafkaProducer<String, ChatEvent> chatProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.chatEvents().keySerde().serializer(), topics.chatEvents().valueSerde().serializer());
    }

    private static ChatEvent event(String conversation, String id, String text) {
        return ChatEvent.newBuilder().setEventId(conversation + "-" + id).setConversationId(conversation)
                .setUserId("user-" + conversation).setChannel("web").setType(ChatEventType.MESSAGE).setText(text)
                .setPayload(Map.of()).setOccurredAt(Instant.now()).build();
    }

    /** The reply texts per conversation, waiting until {@code expected} replies to these conversations have arrived. */
    private static Map<String, List<String>> replies(List<String> conversations, int expected) {
        Set<String> wanted = Set.copyOf(conversations);
        List<ConsumerRecord<String, ChatReply>> seen = readUntil(topics.defaultReplies().name(),
                topics.defaultReplies().valueSerde().deserializer(), r -> wanted.contains(r.key()), expected);
        Map<String, List<String>> texts = new HashMap<>();
        seen.forEach(r -> texts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getText()));
        return texts;
    }

    private static List<AuditEvent> audit() {
        return readUntil(topics.audit().name(), topics.audit().valueSerde().deserializer(), r -> true, 0).stream()
                .map(ConsumerRecord::value).flatMap(record -> AuditSteps.of(record).stream()).toList();
    }

    private static <V> List<ConsumerRecord<String, V>> readUntil(String topic, Deserializer<V> values,
                                                                 java.util.function.Predicate<ConsumerRecord<String, V>> wanted,
                                                                 int expected) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), topics.audit().keySerde().deserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (wanted.test(r)) {
                        seen.add(r);
                    }
                });
                return expected > 0 ? seen.size() >= expected
                        : ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return seen;
    }
}
