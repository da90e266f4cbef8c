package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.gateway.auth.DemoTokens;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.runtime.tracing.Tracing;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topic;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on a real broker, spoken to over real WebSockets: chat events on
 * {@code chat.events}, replies routed across instances, reconnects, notifications, tokens, limits.
 */
class GatewayIT {

    private static final String SECRET = "integration-secret-of-at-least-32-bytes";
    private static final String REGISTRY = "mock://gateway-it";
    private static EmbeddedKafkaCluster kafka;
    private static Gateway first;
    private static Gateway second;
    private static Topics topics;
    private static KafkaProducer<String, ChatReply> replies;
    private static KafkaConsumer<String, ChatEvent> events;
    private static final List<ConsumerRecord<String, ChatEvent>> seen = new ArrayList<>();
    /** The first instance traces (to memory); the second has tracing off. */
    private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private static final DemoTokens tokens = new DemoTokens(SECRET.getBytes(StandardCharsets.UTF_8), "parley-web", null,
            Clock.systemUTC());

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(3, "chat.events", "chat.replies.web");
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", """
                http: {host: 127.0.0.1, port: 0}
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "%s"}
                tokens: {audience: parley-web, hs256Secret: "%s"}
                conversationKey: "conversation-key-of-at-least-32-bytes"
                admin: {port: 0}
                limits: {maxMessageChars: 100, messagesPerSecond: 50, messageBurst: 50}
                """.formatted(kafka.bootstrapServers(), REGISTRY, SECRET));
        first = Gateway.start(config, Clock.systemUTC(), Tracing.exportingTo(spans, config.tracing().on()));
        second = Gateway.start(config, Clock.systemUTC());
        topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", REGISTRY));
        Topic<String, ChatReply> replyTopic = topics.replies("chat.replies.web");
        replies = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                replyTopic.keySerde().serializer(), replyTopic.valueSerde().serializer());
        events = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.chatEvents().keySerde().deserializer(), topics.chatEvents().valueSerde().deserializer());
        events.subscribe(List.of("chat.events"));
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
        }
        if (replies != null) {
            replies.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void messageIsProducedKeyedByConversationIdWithTheUserOfTheToken() throws Exception {
        try (BrowserSocket browser = BrowserSocket.open(first.uri())) {
            String conversation = hello(browser, "alice", null, null);
            browser.send("{\"type\":\"message\",\"text\":\"where is my order 1001\",\"clientId\":\"c1\"}");
            ConsumerRecord<String, ChatEvent> record = awaitEvent(conversation);
            assertThat(record.key()).isEqualTo(conversation);
            assertThat(record.value().getUserId()).isEqualTo("alice");
            assertThat(record.value().getChannel()).isEqualTo("web");
            assertThat(record.value().getText()).isEqualTo("where is my order 1001");
            await().atMost(10, TimeUnit.SECONDS).until(() -> !browser.ofType("ack").isEmpty());
        }
    }

    @Test
    void aMessageIsASpanWhoseTraceparentTheChatEventCarries() throws Exception {
        // Given the tracing instance and one with tracing off
        try (BrowserSocket traced = BrowserSocket.open(first.uri()); BrowserSocket untraced = BrowserSocket.open(second.uri())) {
            String tracedConversation = hello(traced, "carol", null, null);
            String untracedConversation = hello(untraced, "dave", null, null);

            // When a message comes through each
            traced.send("{\"type\":\"message\",\"text\":\"order 4711 please\",\"clientId\":\"t1\"}");
            untraced.send("{\"type\":\"message\",\"text\":\"order 4712 please\",\"clientId\":\"u1\"}");
            ConsumerRecord<String, ChatEvent> tracedEvent = awaitEvent(tracedConversation);
            ConsumerRecord<String, ChatEvent> untracedEvent = awaitEvent(untracedConversation);

            // Then the traced one is a span, named by channel and type only, whose context the record carries
            String traceparent = new String(tracedEvent.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            SpanData span = await().atMost(10, TimeUnit.SECONDS).until(() -> spans.getFinishedSpanItems().stream()
                    .filter(s -> traceparent.equals("00-" + s.getTraceId() + "-" + s.getSpanId() + "-01"))
                    .findFirst().orElse(null), s -> s != null);
            assertThat(span.getName()).isEqualTo("chat message");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("parley.channel"))).isEqualTo("web");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("parley.event.type"))).isEqualTo("MESSAGE");
            assertThat(span.toString()).doesNotContain("carol").doesNotContain("4711").doesNotContain(tracedConversation);
            // and the untraced one carries no trace context
            assertThat(untracedEvent.headers().lastHeader("traceparent")).isNull();
        }
    }

    @Test
    void theAdminPortShowsConnectionsAndMessagesAndReadiness() throws Exception {
        // Given alice connected to the first instance, who sent a message
        try (BrowserSocket browser = BrowserSocket.open(first.uri())) {
            hello(browser, "alice", null, null);
            browser.send("{\"type\":\"message\",\"text\":\"hello\",\"clientId\":\"m1\"}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> !browser.ofType("ack").isEmpty());

            // When the operator's Prometheus scrapes the admin port (not the chat port)
            HttpClient http = HttpClient.newHttpClient();
            URI admin = URI.create("http://127.0.0.1:" + first.adminPort());
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(admin.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(admin.resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> notOnChatPort = http.send(HttpRequest.newBuilder(first.uri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // Then it sees the connection, the produced message and a ready gateway
            assertThat(metrics.body()).containsPattern("(?m)^parley_gateway_connections(\\{[^}]*\\})? [1-9]")
                    .containsPattern("(?m)^parley_gateway_messages_total\\{[^}]*outcome=\"produced\"[^}]*\\} [1-9]")
                    .contains("parley_gateway_replies_skipped_total");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(notOnChatPort.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void repliesFollowTheConversationToAnotherInstanceAndMissedOnesAreReplayedOnce() throws Exception {
        // Given alice talking through the first instance, who saw reply r1
        String conversation;
        try (BrowserSocket tab = BrowserSocket.open(first.uri())) {
            conversation = hello(tab, "alice", null, null);
            produce(reply(conversation, "alice", ReplyKind.ANSWER, "r1-" + conversation));
            await().atMost(10, TimeUnit.SECONDS).until(() -> tab.replyIds().size() == 1);
        }
        // When two replies come while she is away, and she reconnects through the second instance
        produce(reply(conversation, "alice", ReplyKind.INTERIM, "r2-" + conversation));
        produce(reply(conversation, "alice", ReplyKind.ANSWER, "r3-" + conversation));
        try (BrowserSocket again = BrowserSocket.open(second.uri())) {
            // The second instance read r1..r3 too: it reads every partition of the reply topic.
            String same = hello(again, "alice", conversation, "r1-" + conversation);
            assertThat(same).isEqualTo(conversation);
            produce(reply(conversation, "alice", ReplyKind.FOLLOW_UP, "r4-" + conversation));
            // Then she gets r2, r3 (missed) and r4 (live), in order, once each
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(again.replyIds())
                    .containsExactly("r2-" + conversation, "r3-" + conversation, "r4-" + conversation));
        }
    }

    @Test
    void aReplyOfAnAbortedTransactionNeverReachesTheBrowser() throws Exception {
        // Given bob in a conversation, and a processor that writes replies in transactions (exactly-once)
        Topic<String, ChatReply> replyTopic = topics.replies("chat.replies.web");
        try (BrowserSocket tab = BrowserSocket.open(first.uri());
             KafkaProducer<String, ChatReply> transactional = new KafkaProducer<>(Map.of(
                     "bootstrap.servers", kafka.bootstrapServers(), "transactional.id", "gateway-it-processor"),
                     replyTopic.keySerde().serializer(), replyTopic.valueSerde().serializer())) {
            String conversation = hello(tab, "bob", null, null);
            transactional.initTransactions();

            // When a turn's transaction writes a reply and aborts, and its retry writes the reply again and commits
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>("chat.replies.web", conversation,
                    reply(conversation, "bob", ReplyKind.ANSWER, "aborted-" + conversation))).get(10, TimeUnit.SECONDS);
            transactional.flush();
            transactional.abortTransaction();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>("chat.replies.web", conversation,
                    reply(conversation, "bob", ReplyKind.ANSWER, "committed-" + conversation)));
            transactional.commitTransaction();

            // Then the browser gets the committed reply only, once
            await().atMost(10, TimeUnit.SECONDS).until(() -> !tab.replyIds().isEmpty());
            produce(reply(conversation, "bob", ReplyKind.FOLLOW_UP, "after-" + conversation));
            await().atMost(10, TimeUnit.SECONDS).until(() -> tab.replyIds().size() >= 2);
            assertThat(tab.replyIds()).containsExactly("committed-" + conversation, "after-" + conversation);
        }
    }

    @Test
    void notificationReachesEveryOpenTabOfTheUserOnEveryInstance() throws Exception {
        try (BrowserSocket tabOnFirst = BrowserSocket.open(first.uri());
             BrowserSocket tabOnSecond = BrowserSocket.open(second.uri());
             BrowserSocket someoneElse = BrowserSocket.open(second.uri())) {
            String conversation = hello(tabOnFirst, "carol", null, null);
            hello(tabOnSecond, "carol", null, null);
            hello(someoneElse, "dave", null, null);
            produce(reply(conversation, "carol", ReplyKind.NOTIFICATION, "n-" + conversation));
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(tabOnFirst.replyIds()).containsExactly("n-" + conversation);
                assertThat(tabOnSecond.replyIds()).containsExactly("n-" + conversation);
            });
            assertThat(someoneElse.replyIds()).isEmpty();
        }
    }

    @Test
    void expiredTokenIsRefusedWithAClearCloseReason() throws Exception {
        String expired = new DemoTokens(SECRET.getBytes(StandardCharsets.UTF_8), "parley-web", null,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-2))).sign("alice", Duration.ofMinutes(5));
        try (BrowserSocket browser = BrowserSocket.open(first.uri())) {
            browser.send("{\"type\":\"hello\",\"token\":\"" + expired + "\"}");
            assertThat(browser.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1008 token expired");
            assertThat(browser.ofType("ready")).isEmpty();
        }
    }

    @Test
    void overlongMessageGetsAnErrorFrameAndNothingIsProduced() throws Exception {
        try (BrowserSocket browser = BrowserSocket.open(second.uri())) {
            String conversation = hello(browser, "erin", null, null);
            browser.send("{\"type\":\"message\",\"text\":\"" + "x".repeat(101) + "\",\"clientId\":\"big\"}");
            browser.send("{\"type\":\"message\",\"text\":\"small\",\"clientId\":\"small\"}");
            ConsumerRecord<String, ChatEvent> first = awaitEvent(conversation);
            assertThat(first.value().getText()).isEqualTo("small");
            assertThat(browser.ofType("error")).singleElement()
                    .satisfies(e -> assertThat(e.path("code").asText()).isEqualTo("message_too_large"));
        }
    }

    @Test
    void serverSentEventsFallbackCarriesTheSameConversation() throws Exception {
        // Given a browser behind a proxy that blocks WebSockets: hello by POST, frames by event stream
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String hello = "{\"type\":\"hello\",\"token\":\"" + tokens.sign("frank", Duration.ofMinutes(10)) + "\"}";
        var opened = http.send(java.net.http.HttpRequest.newBuilder(first.uri().resolve("/chat/sse"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(hello)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).isEqualTo(200);
        String stream = opened.body().replaceAll(".*\"stream\":\"([^\"]+)\".*", "$1");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        var events = http.sendAsync(java.net.http.HttpRequest.newBuilder(first.uri().resolve("/chat/sse/" + stream)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
                    @Override public void onSubscribe(java.util.concurrent.Flow.Subscription s) { s.request(Long.MAX_VALUE); }
                    @Override public void onNext(String line) { lines.add(line); }
                    @Override public void onError(Throwable t) { }
                    @Override public void onComplete() { }
                }));
        await().atMost(10, TimeUnit.SECONDS).until(() -> lines.stream().anyMatch(l -> l.contains("\"type\":\"ready\"")));
        String conversation = lines.stream().filter(l -> l.contains("\"ready\"")).findFirst().orElseThrow()
                .replaceAll(".*\"conversationId\":\"([^\"]+)\".*", "$1");
        // When it sends a message by POST and a reply comes on the reply topic
        var sent = http.send(java.net.http.HttpRequest.newBuilder(first.uri().resolve("/chat/sse/" + stream))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"message\",\"text\":\"hi by sse\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).isEqualTo(202);
        ConsumerRecord<String, ChatEvent> record = awaitEvent(conversation);
        assertThat(record.value().getUserId()).isEqualTo("frank");
        produce(reply(conversation, "frank", ReplyKind.ANSWER, "sse-" + conversation));
        // Then the reply arrives as an event
        await().atMost(10, TimeUnit.SECONDS).until(() -> lines.stream().anyMatch(l -> l.contains("sse-" + conversation)));
        events.cancel(true);
        // And a refused token is refused with its reason
        var refused = http.send(java.net.http.HttpRequest.newBuilder(first.uri().resolve("/chat/sse"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"hello\",\"token\":\"x.y.z\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("token malformed");
    }

    private static String hello(BrowserSocket browser, String user, String conversation, String lastReplyId)
            throws Exception {
        StringBuilder frame = new StringBuilder("{\"type\":\"hello\",\"token\":\"")
                .append(tokens.sign(user, Duration.ofMinutes(10))).append('"');
        if (conversation != null) {
            frame.append(",\"conversationId\":\"").append(conversation).append('"');
        }
        if (lastReplyId != null) {
            frame.append(",\"lastReplyId\":\"").append(lastReplyId).append('"');
        }
        browser.send(frame.append('}').toString());
        await().atMost(10, TimeUnit.SECONDS).until(() -> !browser.ofType("ready").isEmpty());
        return browser.ofType("ready").get(0).path("conversationId").asText();
    }

    private static synchronized ConsumerRecord<String, ChatEvent> awaitEvent(String conversation) {
        return await().atMost(20, TimeUnit.SECONDS).until(() -> {
            events.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(r -> conversation.equals(r.key())).findFirst().orElse(null);
        }, r -> r != null);
    }

    private static ChatReply reply(String conversation, String user, ReplyKind kind, String id) {
        return ChatReply.newBuilder().setReplyId(id).setConversationId(conversation).setUserId(user).setChannel("web")
                .setKind(kind).setText("text of " + id).setQuickReplies(List.of()).setData(Map.of())
                .setCreatedAt(java.time.Instant.now()).build();
    }

    private static void produce(ChatReply reply) throws Exception {
        replies.send(new ProducerRecord<>("chat.replies.web", reply.getConversationId(), reply)).get(10, TimeUnit.SECONDS);
    }
}
