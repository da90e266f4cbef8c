package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.e2e.env.AdminEndpoint;
import io.parley.e2e.env.ChildJvm;
import io.parley.e2e.env.Pipeline;
import io.parley.e2e.env.RunDirectory;
import io.parley.e2e.load.ReplyReader;
import io.parley.processor.ProcessorMain;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Processors in JVMs of their own, each with an instance id (static membership): conversations
 * answer again after a {@code kill -9} and a restart in place, and after a survivor takes over a
 * killed instance's conversations. The admin session lookup sends a caller asking the wrong
 * instance to the one keeping the session (421). How fast recovery is belongs to the bench (S6).
 */
class ProcessorRecoveryIT {

    private static final String TOKEN = "recovery-it-session-token-0123456789";
    private static final int CONVERSATIONS = 16;
    private static final String RESTORED_RECORDS = "parley_state_restored_records_total";
    private static final String ANY_STORE = "store=";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Path directory;
    private static Pipeline pipeline;
    private static KafkaProducer<String, ChatEvent> channel;
    private static ReplyReader replies;
    private static final Map<String, ChatReply> answers = new ConcurrentHashMap<>();

    @BeforeAll
    static void startPipeline() {
        directory = RunDirectory.fresh(ProcessorRecoveryIT.class);
        pipeline = Pipeline.start(directory, Duration.ofMillis(20));
        channel = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.kafka().bootstrapServers()),
                pipeline.topics().chatEvents().keySerde().serializer(), pipeline.topics().chatEvents().valueSerde().serializer());
        replies = new ReplyReader(pipeline.kafka().bootstrapServers(), pipeline.topics().replies(Pipeline.REPLY_TOPIC), reply -> {
            if (reply.getInReplyTo() != null && reply.getKind() != ReplyKind.INTERIM) {
                answers.put(reply.getInReplyTo(), reply);
            }
        }).start();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (replies != null) {
            replies.close();
        }
        if (channel != null) {
            channel.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aProcessorKilledAndRestartedInPlaceAnswersAgain() throws Exception {
        // Given a processor with an instance id that has answered a conversation
        Path config = processorConfig("solo", Map.of(), true);
        AdminEndpoint admin = adminOf(config);
        try (ChildJvm first = startProcessor("solo-1", config, admin)) {
            awaitAnswers(say("solo", "before"));

            // When it is killed and started again with the same configuration and state directory
            first.kill();
            try (ChildJvm second = startProcessor("solo-2", config, admin)) {
                // Then the conversation is answered again
                awaitAnswers(say("solo", "after"));
                assertThat(second.isAlive()).isTrue();
            }
        }
    }

    @Test
    void aProcessorStoppedCleanlyAndStartedAgainKeepsItsConversationsState() throws Exception {
        // Given a processor that has answered conversations, stopped cleanly (SIGTERM)
        Path config = processorConfig("clean", Map.of(), true);
        AdminEndpoint admin = adminOf(config);
        try (ChildJvm first = startProcessor("clean-1", config, admin)) {
            awaitAnswers(say("clean", "before"));
            first.stop();

            // When it is started again with the same configuration and state directory
            try (ChildJvm second = startProcessor("clean-2", config, admin)) {
                // Then it answers again without rebuilding the sessions from their changelog, as it does after a
                // kill -9: the stores it closed are used as they are. (Kafka 4.4 still re-initialises the
                // notification sub-topology's tasks, whose window store has no committed offset before its first
                // notification.)
                awaitAnswers(say("clean", "after"));
                assertThat(admin.counter(RESTORED_RECORDS, "store=\"sessions\""))
                        .as("sessions records restored after a clean restart (see %s)", second.log()).isZero();
            }
        }
    }

    @Test
    void aSurvivorTakesOverAKilledInstancesConversationsAndTheLookupRedirectsToTheKeeper() throws Exception {
        // Given two processors with instance ids and a standby each, both keeping some conversations
        Path configA = processorConfig("a", Map.of("num.standby.replicas", "1"), false);
        Path configB = processorConfig("b", Map.of("num.standby.replicas", "1"), false);
        AdminEndpoint adminA = adminOf(configA);
        AdminEndpoint adminB = adminOf(configB);
        try (ChildJvm a = startProcessor("a", configA, adminA); ChildJvm b = startProcessor("b", configB, adminB)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> adminA.isReady() && adminB.isReady());
            awaitAnswers(say("pair", "first"));

            // The session lookup on A answers the sessions A keeps, and sends the others to B (421 with B's address)
            List<String> keptByB = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                keptByB.clear();
                for (String conversation : conversations("pair")) {
                    HttpResponse<String> onA = lookup(adminA, conversation);
                    assertThat(onA.statusCode()).as("lookup of %s on A: %s", conversation, onA.body()).isIn(200, 421);
                    if (onA.statusCode() == 421) {
                        assertThat(onA.body()).contains("\"host\":\"127.0.0.1:" + adminB.port() + "\"");
                        assertThat(lookup(adminB, conversation).statusCode()).as("lookup of %s on B", conversation).isEqualTo(200);
                        keptByB.add(conversation);
                    }
                }
                assertThat(keptByB).as("conversations kept by B").isNotEmpty().hasSizeLessThan(CONVERSATIONS);
            });

            double restoredBeforeKill = adminA.counter(RESTORED_RECORDS, ANY_STORE);

            // When B is killed for good
            b.kill();

            // Then A answers every conversation, B's included
            awaitAnswers(say("pair", "second"));
            for (String conversation : keptByB) {
                await().atMost(Duration.ofMinutes(1)).until(() -> lookup(adminA, conversation).statusCode() == 200);
            }
            // And A promoted its up-to-date standbys of B's tasks instead of wiping and rebuilding them
            // (under exactly-once, only transactional state stores make a promoted standby trustworthy)
            assertThat(adminA.counter(RESTORED_RECORDS, ANY_STORE) - restoredBeforeKill)
                    .as("records A restored when taking over B's %s conversations (see %s)", keptByB.size(), a.log())
                    .isLessThan(keptByB.size());
        }
    }

    private static Path processorConfig(String instance, Map<String, String> kafka, boolean leaveOnShutdown) throws IOException {
        AdminEndpoint admin = AdminEndpoint.onFreePort();
        Path file = pipeline.processorConfig("processor-" + instance, directory.resolve("state-" + instance), admin.port());
        StringBuilder extraKafka = new StringBuilder("kafka:\n  application.server: \"127.0.0.1:" + admin.port() + "\"\n");
        kafka.forEach((key, value) -> extraKafka.append("  ").append(key).append(": \"").append(value).append("\"\n"));
        String yaml = Files.readString(file).replaceFirst("(?m)^kafka:\n", extraKafka.toString().replace("$", "\\$"))
                .replaceFirst("(?m)^admin:\n", "admin:\n  sessionToken: " + TOKEN + "\n")
                + "membership:\n  instanceId: " + instance + "\n  leaveGroupOnShutdown: " + leaveOnShutdown + "\n";
        Files.writeString(file, yaml);
        return file;
    }

    private static AdminEndpoint adminOf(Path config) throws IOException {
        String port = Files.readAllLines(config).stream().filter(line -> line.matches("\\s+port: \\d+"))
                .findFirst().orElseThrow().trim().substring("port: ".length());
        return AdminEndpoint.onPort(Integer.parseInt(port));
    }

    private static ChildJvm startProcessor(String name, Path config, AdminEndpoint admin) {
        ChildJvm processor = ChildJvm.start(name, ProcessorMain.class, config);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> admin.isReady() || !processor.isAlive());
            assertThat(processor.isAlive()).as("%s is running (see its log %s)", name, processor.log()).isTrue();
        } catch (RuntimeException | AssertionError e) {
            // Not left running: it would stay in the group and take partitions from the next test's processors
            processor.kill();
            throw e;
        }
        return processor;
    }

    private static List<String> conversations(String prefix) {
        return IntStream.range(0, CONVERSATIONS).mapToObj(i -> "recovery-" + prefix + "-" + i).toList();
    }

    /** Says "help" in each conversation of {@code prefix}; returns the event ids. */
    private static Set<String> say(String prefix, String round) {
        Set<String> eventIds = new java.util.HashSet<>();
        for (String conversation : conversations(prefix)) {
            String eventId = conversation + "-" + round;
            ChatEvent event = ChatEvent.newBuilder()
                    .setEventId(eventId)
                    .setConversationId(conversation)
                    .setUserId("user-" + conversation)
                    .setChannel("web")
                    .setType(ChatEventType.MESSAGE)
                    .setText("help")
                    .setPayload(Map.of())
                    .setLocale("en-GB")
                    .setOccurredAt(Instant.now())
                    .build();
            channel.send(new ProducerRecord<>(pipeline.topics().chatEvents().name(), conversation, event));
            eventIds.add(eventId);
        }
        channel.flush();
        return eventIds;
    }

    private static void awaitAnswers(Set<String> eventIds) {
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(answers.keySet()).containsAll(eventIds));
        assertThat(eventIds).allSatisfy(id -> assertThat(answers.get(id).getKind()).as("reply to %s", id).isEqualTo(ReplyKind.ANSWER));
    }

    private static HttpResponse<String> lookup(AdminEndpoint admin, String conversation) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/sessions/" + conversation))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
