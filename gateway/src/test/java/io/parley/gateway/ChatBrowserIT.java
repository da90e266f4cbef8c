package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.Topic;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The widget in a real headless Chromium against a real gateway on the embedded broker. The bot
 * side is a small stand-in that reads {@code chat.events} and writes {@code chat.replies.web} as
 * the processor does (the gateway does not depend on the processor; local mode runs them together):
 * it is slow for orders, so an INTERIM reply comes first, and it echoes markup for the XSS check.
 */
class ChatBrowserIT {

    private static final String SECRET = "browser-test-secret-of-at-least-32-bytes";
    private static final String ADMIN_TOKEN = "console-admin-token-for-tests";
    private static final String VIEWER_TOKEN = "console-viewer-token-for-tests";
    private static EmbeddedKafkaCluster kafka;
    private static Gateway gateway;
    private static Thread bot;
    private static volatile boolean running = true;
    private static ChromeDriver browser;

    /** A stand-in worker's metrics page: each scrape finds 20 more shop.getOrder calls, one of them a timeout. */
    private static HttpServer workerMetrics;
    private static final AtomicInteger scrapes = new AtomicInteger();
    /** How long the stand-in bot's shop takes to answer an order question, between its interim reply and its answer. */
    private static final Duration SLOW_SHOP = Duration.ofMillis(4_000);

    @BeforeAll
    static void start() throws Exception {
        workerMetrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        workerMetrics.createContext("/metrics", exchange -> {
            int n = scrapes.incrementAndGet();
            byte[] page = """
                    parley_worker_responses_total{connector="shop",operation="getOrder",status="OK"} %d.0
                    parley_worker_responses_total{connector="shop",operation="getOrder",status="TIMEOUT"} %d.0
                    parley_worker_call_seconds_bucket{connector="shop",operation="getOrder",status="OK",le="0.1"} %d
                    parley_worker_call_seconds_bucket{connector="shop",operation="getOrder",status="OK",le="+Inf"} %d
                    parley_worker_circuit_state{connector="shop"} 0.0
                    """.formatted(19 * n, n, 19 * n, 20 * n).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        // And a stand-in processor's picture of its flows
        workerMetrics.createContext("/flows/graph.svg", exchange -> {
            byte[] svg = ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"60\"><rect width=\"320\" height=\"60\""
                    + " fill=\"#eef2f8\"/><text x=\"10\" y=\"35\">order_status → shop.getOrder</text></svg>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "image/svg+xml");
            exchange.sendResponseHeaders(200, svg.length);
            exchange.getResponseBody().write(svg);
            exchange.close();
        });
        workerMetrics.start();
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(3, "chat.events", "chat.replies.web", "chat.audit");
        gateway = Gateway.start(GatewayConfig.parse("gateway.yaml", """
                http: {host: 127.0.0.1, port: 0}
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "mock://browser-it"}
                tokens: {audience: parley-web, hs256Secret: "%s"}
                conversationKey: "conversation-key-of-at-least-32-bytes"
                admin: {port: 0}
                demo: {users: [alice, bob, carol]}
                console: {adminToken: "%s", workers: ["http://127.0.0.1:%d/metrics"], healthInterval: 1s,
                          flowGraph: "http://127.0.0.1:%d/flows/graph.svg"}
                access: {tokens: [{name: support, token: "%s", role: viewer}]}
                """.formatted(kafka.bootstrapServers(), SECRET, ADMIN_TOKEN, workerMetrics.getAddress().getPort(),
                        workerMetrics.getAddress().getPort(), VIEWER_TOKEN)),
                Clock.systemUTC());
        bot = new Thread(ChatBrowserIT::runBot, "stand-in-bot");
        bot.setDaemon(true);
        bot.start();
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        running = false;
        if (browser != null) {
            browser.quit();
        }
        if (workerMetrics != null) {
            workerMetrics.stop(0);
        }
        if (bot != null) {
            bot.join(5000);
        }
        if (auditProducer != null) {
            auditProducer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void demoUserAsksForAnOrderSeesTheInterimIndicatorThenTheAnswerAndTheTranscriptSurvivesAReload()
            throws Exception {
        // Given the demo page, signed in as alice
        browser.get(gateway.uri() + "/chat");
        click(By.cssSelector("button[data-user='alice']"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> "online".equals(
                browser.findElement(By.cssSelector(".parley-chat")).getAttribute("data-connection")));
        // When she asks about her order (by keyboard)
        WebElement input = browser.findElement(By.id("parley-input"));
        input.sendKeys("where is my order 1001", Keys.ENTER);
        // Then the still-working indicator shows while the shop is slow, and the answer replaces it
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            WebElement typing = browser.findElement(By.cssSelector(".parley-typing"));
            return typing.isDisplayed() && typing.getText().contains("Still checking");
        });
        await().atMost(20, TimeUnit.SECONDS).until(() -> botTexts().contains("Order 1001 (alice) has shipped."));
        assertThat(browser.findElement(By.cssSelector(".parley-typing")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector(".parley-quick-reply"))).extracting(WebElement::getText)
                .containsExactly("Track parcel", "Talk to a human");
        assertThat(browser.findElement(By.cssSelector(".parley-log")).getAttribute("aria-live")).isEqualTo("polite");
        screenshot("chat");

        // When the page is reloaded, Then the transcript is still there, once
        browser.navigate().refresh();
        await().atMost(20, TimeUnit.SECONDS).until(() -> botTexts().contains("Order 1001 (alice) has shipped."));
        await().atMost(20, TimeUnit.SECONDS).until(() -> "online".equals(
                browser.findElement(By.cssSelector(".parley-chat")).getAttribute("data-connection")));
        assertThat(botTexts()).containsOnlyOnce("Order 1001 (alice) has shipped.");
        assertThat(userTexts()).containsExactly("where is my order 1001");

        // When a quick reply is pressed, Then it is sent as her next message and answered
        click(By.cssSelector(".parley-quick-reply"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> botTexts().contains("You said: Track parcel"));

        // When the team opens the console with the admin token
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
        browser.get(gateway.uri() + "/console");
        browser.findElement(By.id("pc-token")).sendKeys(ADMIN_TOKEN, Keys.ENTER);
        // Then alice's conversation shows with its turns: intent, backend call with status and latency
        click(By.cssSelector(".pc-conversation"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> browser.findElements(By.cssSelector("#pc-entries tr")).stream()
                .anyMatch(r -> r.getText().contains("BACKEND_RESPONSE") && r.getText().contains("shop.getOrder")
                        && r.getText().contains(SLOW_SHOP.toMillis() + " ms")));
        assertThat(browser.findElement(By.id("pc-entries")).getText()).contains("order_status", "INTERIM");
        // And a new turn appears live, without reloading
        int rows = browser.findElements(By.cssSelector("#pc-entries tr")).size();
        String conversation = browser.findElement(By.cssSelector(".pc-conversation.pc-selected .pc-id")).getText();
        audit(conversation, "alice", "INBOUND", null, null, null, null, "a live one");
        await().atMost(20, TimeUnit.SECONDS).until(() -> browser.findElements(By.cssSelector("#pc-entries tr")).size() > rows);
        // And connector health from the worker's metrics: calls per second, errors, p95 and the circuit, updated live
        // (read in one script: the table is redrawn with every new figure, so a row found earlier may be gone)
        await().atMost(20, TimeUnit.SECONDS).until(() -> String.valueOf(browser.executeScript(
                        "return Array.from(document.querySelectorAll(\"#pc-health-rows tr[data-operation='shop.getOrder']\"))"
                                + ".map(function (r) { return r.textContent; }).join('|');")),
                row -> row.contains("5.0 %") && row.contains("100 ms") && row.contains("closed"));
        assertThat(browser.findElement(By.id("pc-health-workers")).getText()).startsWith("1 of 1 workers reachable");
        // And the flows as a picture, drawn (an image: never run)
        await().atMost(20, TimeUnit.SECONDS).until(() -> Boolean.TRUE.equals(browser.executeScript(
                "var img = document.getElementById('pc-flows-picture'); return !img.hidden && img.complete && img.naturalWidth === 320;")));
        // And the operator actions are offered: the admin token is an operator's
        await().atMost(20, TimeUnit.SECONDS).until(() -> "operator".equals(browser.findElement(By.tagName("body")).getAttribute("data-role")));
        assertThat(browser.findElement(By.id("pc-operator")).isDisplayed()).isTrue();
        screenshot("console");
        browser.executeScript("window.sessionStorage.clear();");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(900, 900));
    }

    @Test
    void aViewerSeesTheConsoleWithoutOperatorActions() {
        // Given a viewer's token
        browser.get(gateway.uri() + "/console");
        browser.executeScript("window.sessionStorage.clear();");
        browser.navigate().refresh();
        // When they open the console
        browser.findElement(By.id("pc-token")).sendKeys(VIEWER_TOKEN, Keys.ENTER);
        // Then it opens for the viewer role and offers no erase or replay
        await().atMost(20, TimeUnit.SECONDS).until(() -> "viewer".equals(browser.findElement(By.tagName("body")).getAttribute("data-role")));
        assertThat(browser.findElement(By.id("pc-main")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("pc-operator")).isDisplayed()).isFalse();
        browser.executeScript("window.sessionStorage.clear();");
    }

    @Test
    void consoleDataNeedsTheAdminToken() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var denied = http.send(java.net.http.HttpRequest.newBuilder(gateway.uri().resolve("/console/api/conversations"))
                .header("Authorization", "Bearer wrong-token-wrong-token").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(401);
        var allowed = http.send(java.net.http.HttpRequest.newBuilder(gateway.uri().resolve("/console/api/conversations"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void markupInARepliesIsShownAsTextNeverRun() throws Exception {
        browser.get(gateway.uri() + "/chat");
        click(By.cssSelector("button[data-user='bob']"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> "online".equals(
                browser.findElement(By.cssSelector(".parley-chat")).getAttribute("data-connection")));
        browser.findElement(By.id("parley-input")).sendKeys("<img src=x onerror=\"window.pwned=1\">", Keys.ENTER);
        await().atMost(20, TimeUnit.SECONDS).until(() -> botTexts().stream().anyMatch(t -> t.contains("<script>")));
        assertThat(botTexts()).anyMatch(t -> t.equals("You said: <img src=x onerror=\"window.pwned=1\"> <script>window.pwned=2</script>"));
        assertThat(browser.findElements(By.cssSelector(".parley-log img, .parley-log script"))).isEmpty();
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void withoutWebSocketsTheWidgetTalksOverServerSentEvents() {
        browser.get(gateway.uri() + "/chat?user=carol&transport=sse");
        await().atMost(20, TimeUnit.SECONDS).until(() -> "online".equals(
                browser.findElement(By.cssSelector(".parley-chat")).getAttribute("data-connection")));
        browser.findElement(By.id("parley-input")).sendKeys("hello over sse", Keys.ENTER);
        await().atMost(20, TimeUnit.SECONDS).until(() -> botTexts().contains("You said: hello over sse"));
    }

    private static void click(By by) {
        await().atMost(20, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
            browser.findElement(by).click();
            return true;
        });
    }

    private static List<String> botTexts() {
        return browser.findElements(By.cssSelector(".parley-bot .parley-text")).stream().map(WebElement::getText).toList();
    }

    private static List<String> userTexts() {
        return browser.findElements(By.cssSelector(".parley-user .parley-text")).stream().map(WebElement::getText).toList();
    }

    private static void screenshot(String name) throws Exception {
        Path target = Path.of("target", "screenshots");
        Files.createDirectories(target);
        browser.executeScript("window.scrollTo(0, 0)");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Answers like the demo bot: orders take a while (INTERIM first), anything else is echoed. */
    private static void runBot() {
        Topics topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", "mock://browser-it"));
        Topic<String, ChatReply> replies = topics.replies("chat.replies.web");
        try (KafkaConsumer<String, ChatEvent> events = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "stand-in-bot",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.chatEvents().keySerde().deserializer(), topics.chatEvents().valueSerde().deserializer());
             KafkaProducer<String, ChatReply> producer = new KafkaProducer<>(
                     Map.of("bootstrap.servers", kafka.bootstrapServers()),
                     replies.keySerde().serializer(), replies.valueSerde().serializer())) {
            events.subscribe(List.of("chat.events"));
            while (running) {
                for (ConsumerRecord<String, ChatEvent> record : events.poll(Duration.ofMillis(200))) {
                    ChatEvent event = record.value();
                    String c = event.getConversationId();
                    audit(c, event.getUserId(), "INBOUND", null, null, null, null, event.getText());
                    if (event.getText().contains("order 1001")) {
                        audit(c, event.getUserId(), "INTENT", "order_status", null, null, null, null);
                        audit(c, event.getUserId(), "BACKEND_REQUEST", "order_status", "shop.getOrder", null, null, null);
                        producer.send(reply(event, "i", ReplyKind.INTERIM, "Still checking with the shop…", List.of()));
                        producer.flush();
                        audit(c, event.getUserId(), "INTERIM", "order_status", null, null, null, "Still checking with the shop…");
                        // The slow shop of the scenario: long enough for a loaded machine's browser to show the
                        // still-working indicator before the answer replaces it.
                        Thread.sleep(SLOW_SHOP.toMillis());
                        audit(c, event.getUserId(), "BACKEND_RESPONSE", "order_status", "shop.getOrder", "OK", SLOW_SHOP.toMillis(), null);
                        producer.send(reply(event, "a", ReplyKind.ANSWER, "Order 1001 (" + event.getUserId()
                                + ") has shipped.", List.of("Track parcel", "Talk to a human")));
                        audit(c, event.getUserId(), "REPLY", "order_status", null, null, null, "Order 1001 has shipped.");
                    } else {
                        String extra = event.getText().startsWith("<") ? " <script>window.pwned=2</script>" : "";
                        producer.send(reply(event, "a", ReplyKind.ANSWER, "You said: " + event.getText() + extra,
                                List.of()));
                    }
                    producer.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static KafkaProducer<String, io.parley.schemas.AuditEvent> auditProducer;

    /** An audit event as the processor writes it (the console reads only these). */
    static synchronized void audit(String conversation, String user, String kind, String intent, String call,
                                   String status, Long latencyMs, String text) {
        Topic<String, io.parley.schemas.AuditEvent> topic = Topics.create(TopicNames.defaults(),
                Map.of("schema.registry.url", "mock://browser-it")).audit();
        if (auditProducer == null) {
            auditProducer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    topic.keySerde().serializer(), topic.valueSerde().serializer());
        }
        var event = io.parley.schemas.AuditEvent.newBuilder().setAuditId(java.util.UUID.randomUUID().toString())
                .setConversationId(conversation).setUserRef(user)
                .setKind(io.parley.schemas.AuditKind.valueOf(kind)).setOccurredAt(Instant.now()).setChannel("web")
                .setIntent(intent).setConnector(call == null ? null : call.split("\\.")[0])
                .setOperation(call == null ? null : call.split("\\.")[1]).setStatus(status).setLatencyMs(latencyMs)
                .setText(text).setAttributes(Map.of()).build();
        auditProducer.send(new ProducerRecord<>(topic.name(), conversation, event));
        auditProducer.flush();
    }

    private static ProducerRecord<String, ChatReply> reply(ChatEvent event, String suffix, ReplyKind kind, String text,
                                                           List<String> quick) {
        ChatReply reply = ChatReply.newBuilder().setReplyId(event.getEventId() + ":" + suffix)
                .setConversationId(event.getConversationId()).setUserId(event.getUserId()).setChannel("web")
                .setInReplyTo(event.getEventId()).setKind(kind).setText(text).setQuickReplies(quick).setData(Map.of())
                .setCreatedAt(Instant.now()).build();
        return new ProducerRecord<>("chat.replies.web", event.getConversationId(), reply);
    }
}
