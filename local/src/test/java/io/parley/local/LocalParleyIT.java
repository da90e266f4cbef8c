package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.local.chat.ConsoleChat;
import io.parley.local.chat.ConsoleChatSettings;
import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditSteps;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole of local mode in this JVM — broker, registry, demo shop, processor with the shipped
 * demo flows, worker with the demo connectors — driven through the console chat the way a person
 * or a script does. A demo flow that no longer fits the demo data fails here.
 */
class LocalParleyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ADMIN_TOKEN = "local-parley-it-admin-token";
    private static final String AUDIT_KEY = "local-parley-it-audit-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temp;

    private static LocalStack stack;
    private static LocalParley parley;

    @BeforeAll
    static void startLocalMode() throws Exception {
        LocalSettings settings = new LocalSettings(temp.resolve(".parley"), false, 2, 0, 0, Duration.ZERO,
                TopicNames.defaults(), "console", "chat.replies.console");
        stack = LocalStack.start(settings);
        parley = LocalParley.start(stack, new ServiceSettings(0, 0, true, Map.of(
                ServiceSettings.ADMIN_TOKEN_VARIABLE, ADMIN_TOKEN,
                ServiceSettings.AUDIT_KEY_VARIABLE, AUDIT_KEY)));
    }

    @AfterAll
    static void stopLocalMode() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aNewSessionIsGreetedByNameFromTheShopDatabase() throws Exception {
        Transcript transcript = chat("");

        assertThat(transcript.exitCode()).isEqualTo(ConsoleChat.EXIT_OK);
        assertThat(transcript.lines()).filteredOn(line -> !Transcript.isInterim(line))
                .containsExactly("bot [answer] Hi Alice! How can I help you today?");
    }

    @Test
    void anOrderQuestionIsAnsweredFromTheShopApi() throws Exception {
        Transcript transcript = chat("where is my order 1001");

        assertThat(transcript.repliesTo("where is my order 1001")).containsExactly(
                "bot [answer] Order 1001 is SHIPPED: 42.50 EUR, placed on 2026-11-20. Tracking number: TRK-1001.");
    }

    @Test
    void aStockQuestionIsAnsweredFromTheLiveStockTableWithoutAWorkerCall() throws Exception {
        Topics topics = Topics.create(TopicNames.defaults(), stack.serdeConfig());
        try (TopicTail<BackendRequest> requests = TopicTail.of(stack, "backend.requests",
                topics.backendRequests().valueSerde().deserializer())) {
            // Given the live stock table, seeded from the demo shop database at start
            // When the stock of products is asked for by SKU (any case) and by name
            Transcript transcript = chat("""
                    is MUG-01 in stock
                    is TEA-02 in stock
                    is xyz-99 in stock
                    is mug-01 in stock
                    is the Blue Mug in stock?
                    """);

            // Then the answers come from the table's rows ("blue mug" names MUG-01)
            assertThat(transcript.repliesTo("is MUG-01 in stock")).containsExactly("bot [answer] Yes, Blue mug is in stock (12 left).");
            assertThat(transcript.repliesTo("is TEA-02 in stock")).containsExactly("bot [answer] Sorry, Tea sampler is out of stock.");
            assertThat(transcript.repliesTo("is xyz-99 in stock")).containsExactly("bot [answer] I don't know a product XYZ-99.");
            assertThat(transcript.repliesTo("is mug-01 in stock")).containsExactly("bot [answer] Yes, Blue mug is in stock (12 left).");
            assertThat(transcript.repliesTo("is the Blue Mug in stock?")).containsExactly("bot [answer] Yes, Blue mug is in stock (12 left).");
            // and in the turn: the worker was asked for nothing but the greeting's profile (a turn's requests are
            // committed with its answer, so they are all in the topic by now)
            assertThat(requests.readToEnd()).extracting(BackendRequest::getOperation).containsOnly("getCustomerProfile");
        }
    }

    @Test
    void aStockLevelPublishedWithTheStockCommandShowsInTheNextAnswer() throws Exception {
        // Given the blue mug in stock
        assertThat(chat("is the blue mug in stock").repliesTo("is the blue mug in stock"))
                .containsExactly("bot [answer] Yes, Blue mug is in stock (12 left).");
        try {
            // When the console publishes a level of 0
            Transcript transcript = chat("""
                    /stock MUG-01 0
                    is the blue mug in stock
                    """);

            // Then the row is published and the answer says out of stock. A table is updated by the processor's global
            // thread, outside the turn: a question arriving within the same milliseconds as the change can still see the
            // old row (docs/tables.md, "How fast a change is visible"), so the question is asked again until it does.
            assertThat(transcript.repliesTo("/stock MUG-01 0")).containsExactly("(published to shop.stock: MUG-01 quantity 0 (out of stock))");
            assertThat(transcript.repliesTo("is the blue mug in stock")).hasSize(1);
            if (!transcript.repliesTo("is the blue mug in stock").contains("bot [answer] Sorry, Blue mug is out of stock.")) {
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(chat("is MUG-01 in stock").repliesTo("is MUG-01 in stock"))
                        .containsExactly("bot [answer] Sorry, Blue mug is out of stock."));
            }
        } finally {
            // The other tests of this class see the demo shop's level again
            assertThat(chat("/stock MUG-01 12").repliesTo("/stock MUG-01 12"))
                    .containsExactly("(published to shop.stock: MUG-01 quantity 12 (in stock))");
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(chat("is MUG-01 in stock").repliesTo("is MUG-01 in stock"))
                .containsExactly("bot [answer] Yes, Blue mug is in stock (12 left)."));
    }

    @Test
    void aStockCommandForAProductTheTableDoesNotHavePublishesNothing() throws Exception {
        long before = endOffsets("shop.stock");

        Transcript transcript = chat("""
                /stock XYZ-99 5
                /stock MUG-01 lots
                """);

        assertThat(transcript.exitCode()).isEqualTo(ConsoleChat.EXIT_OK);
        assertThat(transcript.repliesTo("/stock XYZ-99 5"))
                .containsExactly("(/stock: shop.stock has no product XYZ-99 (it has MUG-01, TEA-02); nothing was published)");
        assertThat(transcript.repliesTo("/stock MUG-01 lots"))
                .startsWith("(/stock: 'lots' is not a stock level (a whole number from 0 to 1000000))");
        assertThat(endOffsets("shop.stock")).isEqualTo(before);
    }

    @Test
    void tableTopicsAreCompactedLikeKafkaInitMakesThem() throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            for (String topic : List.of("shop.stock", "parley.connectors", "iot.devices", "parley.flows")) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertThat(config.get("cleanup.policy").value()).as(topic).isEqualTo("compact");
            }
        }
    }

    @Test
    void trackingAnOrderChainsTheShipmentLookupOnTheOrdersTrackingId() throws Exception {
        Transcript transcript = chat("""
                track my order 1001
                track my order 1002
                track my order 2001
                """);

        assertThat(transcript.repliesTo("track my order 1001")).containsExactly(
                "bot [answer] Order 1001 is with DHL (TRK-1001): IN_TRANSIT, expected on 2026-11-26.");
        assertThat(transcript.repliesTo("track my order 1002")).containsExactly(
                "bot [answer] Order 1002 is PROCESSING and has not been handed to a carrier yet.");
        // Order 2001 is Bob's: the customer id comes from the authenticated user, not from the text.
        assertThat(transcript.repliesTo("track my order 2001")).containsExactly(
                "bot [answer] I couldn't find order 2001 on your account. Please check the number.");
    }

    @Test
    void aFavouriteColourIsRememberedInRedis() throws Exception {
        // redis-server is installed here (.ci/run installs it), so local mode offers the preference intents
        assertThat(stack.preferences().offered()).isTrue();

        Transcript transcript = chat("""
                what is my favourite colour
                my favourite colour is Blue
                what's my favorite color
                """);

        assertThat(transcript.repliesTo("my favourite colour is Blue"))
                .containsExactly("bot [answer] Got it: your favourite colour is blue. I'll remember it.");
        assertThat(transcript.repliesTo("what is my favourite colour")).containsExactly(
                "bot [answer] You haven't told me your favourite colour yet. Say \"my favourite colour is blue\", for example.");
        assertThat(transcript.repliesTo("what's my favorite color")).containsExactly("bot [answer] Your favourite colour is blue.");
    }

    @Test
    void notificationsReachTheConsoleAndEraseIsConfirmed() throws Exception {
        Transcript transcript = chat("""
                /notify Your parcel arrives tomorrow
                /erase
                """);

        assertThat(transcript.exitCode()).isEqualTo(ConsoleChat.EXIT_OK);
        assertThat(transcript.repliesTo("/notify Your parcel arrives tomorrow"))
                .containsExactly("bot [notification] Your parcel arrives tomorrow");
        assertThat(transcript.repliesTo("/erase")).containsExactly("bot [answer] Your conversation data has been erased.");
    }

    @Test
    void aSlowShopShowsTheStillWorkingMessageBeforeTheAnswer() throws Exception {
        // Well past the flows' 2 s interim time, so the still-working message comes first even on a busy machine,
        // and well before their 8 s deadline.
        stack.shopApi().latency(Duration.ofSeconds(4));
        Transcript transcript;
        try {
            transcript = chat("where is my order 1002");
        } finally {
            stack.shopApi().latency(Duration.ZERO);
        }

        assertThat(transcript.allRepliesTo("where is my order 1002")).containsExactly(
                "bot [interim] Still working on it…",
                "bot [answer] Order 1002 is PROCESSING: 18.00 EUR, placed on 2026-11-23.");
    }

    @Test
    void anEventFromYourOwnProducerIsAnsweredAndItsSessionCanBeLookedUpWithTheToken() throws Exception {
        Topics topics = Topics.create(TopicNames.defaults(), stack.serdeConfig());
        String conversation = "kiosk-" + UUID.randomUUID();
        ChatEvent question = ChatEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setConversationId(conversation)
                .setUserId("alice").setChannel("kiosk").setType(ChatEventType.MESSAGE).setText("where is my order 1001")
                .setOccurredAt(Instant.now()).build();

        try (TopicTail<ChatReply> replies = TopicTail.of(stack, "chat.replies", topics.defaultReplies().valueSerde().deserializer());
             KafkaProducer<String, ChatEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                     new StringSerializer(), topics.chatEvents().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>("chat.events", conversation, question)).get();

            // A channel without a route of its own is answered on the default reply topic.
            ChatReply reply = replies.await(r -> conversation.equals(r.getConversationId()) && r.getKind() == ReplyKind.ANSWER, TIMEOUT);
            assertThat(reply.getText()).startsWith("Order 1001 is SHIPPED");
        }

        String sessionUrl = parley.processorAdminUrl() + "/sessions/" + conversation;
        assertThat(get(sessionUrl, Map.of()).statusCode()).isEqualTo(401);
        HttpResponse<String> session = get(sessionUrl, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.body()).contains(conversation).contains("alice");
    }

    @Test
    void auditRecordsCarryAPseudonymInsteadOfTheUserId() throws Exception {
        Topics topics = Topics.create(TopicNames.defaults(), stack.serdeConfig());
        try (TopicTail<AuditEvent> audit = TopicTail.of(stack, "chat.audit", topics.audit().valueSerde().deserializer())) {
            Transcript transcript = chat("is MUG-01 in stock");
            assertThat(transcript.exitCode()).isEqualTo(ConsoleChat.EXIT_OK);

            // A TURN record (audit.mode turn, the default) carries the INBOUND step under the turn's user reference
            AuditEvent inbound = audit.await(event -> AuditSteps.of(event).stream().anyMatch(step -> step.getKind() == AuditKind.INBOUND),
                    TIMEOUT);
            assertThat(inbound.getUserRef()).isNotBlank().isNotEqualTo("alice").doesNotContain("alice");
        }
    }

    @Test
    void theConsoleShowsConnectorHealthFromTheWorkersMetrics() throws Exception {
        // Given the web gateway of local mode, its console reading the worker's metrics page
        try (LocalGateway gateway = LocalGateway.start(stack, 0, ADMIN_TOKEN, URI.create(parley.workerAdminUrl() + "/metrics"),
                URI.create(parley.processorAdminUrl() + "/flows/graph.svg"))) {
            // When an order question makes the worker call the shop API
            chat("where is my order 1001");

            // Then the console's connector health lists that operation, with its calls and a closed circuit
            await().atMost(TIMEOUT).untilAsserted(() -> {
                HttpResponse<String> health = get(gateway.consoleUrl() + "/api/connectors",
                        Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"reachable\":1").containsPattern(
                        "\\{\"connector\":\"shop-api\",\"operation\":\"getOrder\",\"calls\":[1-9][^}]*\"circuit\":\"closed\"\\}");
            });
            assertThat(get(gateway.consoleUrl() + "/api/connectors", Map.of()).statusCode()).as("without the token").isEqualTo(401);
            // And the flows the processor runs, as a picture drawn by the processor
            HttpResponse<String> flows = get(gateway.consoleUrl() + "/api/flows.svg", Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
            assertThat(flows.statusCode()).isEqualTo(200);
            assertThat(flows.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("image/svg+xml"));
            assertThat(flows.body()).contains("<svg", "order-status", "shop-api");
        }
    }

    @Test
    void theAdminEndpointsOfProcessorAndWorkerAreReady() throws Exception {
        assertThat(get(parley.processorAdminUrl() + "/health/ready", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get(parley.workerAdminUrl() + "/health/ready", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get(parley.processorAdminUrl() + "/metrics", Map.of()).body()).contains("parley_pending_calls");
    }

    /** A scripted console chat as alice on the console channel, on this stack. */
    private static Transcript chat(String input) throws Exception {
        ConsoleChatSettings settings = ConsoleChatSettings.defaults(stack.bootstrapServers(), stack.registryUrl())
                .withWaits(TIMEOUT, Duration.ofSeconds(10));
        StringWriter output = new StringWriter();
        int exit = new ConsoleChat(settings, new BufferedReader(new StringReader(input)), new PrintWriter(output, true),
                Clock.systemUTC(), ConsoleChat.Mode.SCRIPTED).run();
        return new Transcript(exit, output.toString().lines().toList());
    }

    /** The sum of the topic's end offsets: it grows with every record published to the topic. */
    private static long endOffsets(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the console printed, and its exit code. */
    private record Transcript(int exitCode, List<String> lines) {

        /**
         * The lines printed after {@code alice> <line>} up to the next prompt, without the still-working message:
         * a turn of this whole stack in one JVM on a busy machine may pass the flows' 2 s interim time.
         */
        List<String> repliesTo(String line) {
            return allRepliesTo(line).stream().filter(printed -> !isInterim(printed)).toList();
        }

        /** The still-working message a turn slower than the flows' interim time prints before its answer. */
        static boolean isInterim(String printed) {
            return printed.startsWith("bot [interim] ");
        }

        /** The lines printed after {@code alice> <line>} up to the next prompt. */
        List<String> allRepliesTo(String line) {
            int start = lines.indexOf("alice> " + line);
            assertThat(start).as("the console echoed %s in %s", line, lines).isNotNegative();
            List<String> replies = new ArrayList<>();
            for (String printed : lines.subList(start + 1, lines.size())) {
                if (printed.startsWith("alice> ")) {
                    break;
                }
                replies.add(printed);
            }
            return replies;
        }
    }

    /** Reads a topic from its end as of now, committed records only. */
    private static final class TopicTail<V> implements AutoCloseable {

        private final KafkaConsumer<String, V> consumer;

        private TopicTail(KafkaConsumer<String, V> consumer) {
            this.consumer = consumer;
        }

        static <V> TopicTail<V> of(LocalStack stack, String topic, org.apache.kafka.common.serialization.Deserializer<V> values) {
            KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                    "isolation.level", "read_committed"), new StringDeserializer(), values);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return new TopicTail<>(consumer);
        }

        V await(Predicate<V> wanted, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record.value())) {
                        return record.value();
                    }
                }
            }
            throw new AssertionError("No matching record within " + timeout);
        }

        /** The records from the tail's start to the topic's end as of now. */
        List<V> readToEnd() {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            List<V> values = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(partition -> consumer.position(partition.getKey()) < partition.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Could not read to the end within " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            return values;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
