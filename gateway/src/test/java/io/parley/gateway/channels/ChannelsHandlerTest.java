package io.parley.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.runtime.Secret;
import io.parley.schemas.ChatEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP answers when Kafka is slow or fails, on a real Jetty server with a publisher the test controls. */
class ChannelsHandlerTest {

    private static final String SECRET = "fixed-test-secret-of-at-least-32-bytes!";
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ChatEvent> published = new ArrayList<>();
    private volatile Function<ChatEvent, CompletionStage<Void>> kafka = e -> CompletableFuture.completedFuture(null);
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        Inbound crm = new Inbound(InboundTest.settings("crm", Secret.of(SECRET), null, null), clock);
        SlackInbound slack = new SlackInbound(SlackTest.settings(SlackTest.SIGNING, URI.create("http://127.0.0.1:9")),
                clock);
        WhatsAppInbound whatsapp = new WhatsAppInbound(WhatsAppTest.settings(URI.create("http://127.0.0.1:9"), null), clock);
        ChannelsHandler handler = new ChannelsHandler(Map.of("crm", crm), Map.of(), Map.of("slack", slack),
                Map.of("wa", whatsapp), Map.of(), Map.of(), event -> {
                    published.add(event);
                    return kafka.apply(event);
                }, new ChannelMetrics(new SimpleMeterRegistry()), event -> { });
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return handler.handle(Request.getPathInContext(request), request, response, callback);
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void messageKafkaRefusesIsAnswered503AndItsRetryWithTheSameEventIdIsTaken() throws Exception {
        // Given Kafka failing
        kafka = e -> CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("down"));
        String body = "{\"conversationId\":\"c-1\",\"text\":\"hi\",\"eventId\":\"e-1\"}";
        assertThat(signedPost(body, Instant.now().getEpochSecond()).statusCode()).isEqualTo(503);
        // When Kafka is back and the caller retries the same event
        kafka = e -> CompletableFuture.completedFuture(null);
        HttpResponse<String> retry = signedPost(body, Instant.now().getEpochSecond() + 1);
        // Then it is accepted, not dropped as a duplicate
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).contains("\"accepted\"");
        assertThat(published).hasSize(2);
    }

    @Test
    void slackEventKafkaHasNotConfirmedIsAnsweredBeforeSlacksDeadlineSoSlackRetries() throws Exception {
        // Given Kafka that never confirms
        CompletableFuture<Void> pending = new CompletableFuture<>();
        kafka = e -> pending;
        String body = SlackTest.message("EvSlow", "U1", "hello");
        // When Slack delivers the event
        HttpResponse<String> answer = slackPost(body);
        // Then the gateway answers 503 (at SlackSettings.ACK_WITHIN), and when the event does reach Kafka
        // later, Slack's retry is dropped as a duplicate
        assertThat(answer.statusCode()).isEqualTo(503);
        pending.complete(null);
        HttpResponse<String> retry = slackPost(body);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).contains("\"duplicate\"");
        assertThat(published).hasSize(1);
    }

    @Test
    void whatsAppNotificationKafkaHasNotConfirmedIsAnsweredWithinMetasTimeLimitSoMetaRedelivers() throws Exception {
        // Given Kafka that never confirms
        CompletableFuture<Void> pending = new CompletableFuture<>();
        kafka = e -> pending;
        String body = WhatsAppTest.notification("wamid.SLOW", Instant.now().getEpochSecond(),
                "\"type\":\"text\",\"text\":{\"body\":\"hello\"}");
        // When Meta delivers the notification
        HttpResponse<String> answer = whatsAppPost(body);
        // Then the gateway answers 503 (at WhatsAppSettings.ACK_WITHIN), and Meta's redelivery after the event did reach
        // Kafka is dropped as a duplicate
        assertThat(answer.statusCode()).isEqualTo(503);
        pending.complete(null);
        HttpResponse<String> retry = whatsAppPost(body);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(published).hasSize(1);
        // and an unsigned one is refused without reaching Kafka
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/channels/wa/webhook"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);
        assertThat(published).hasSize(1);
    }

    private HttpResponse<String> whatsAppPost(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/channels/wa/webhook"))
                .header(WhatsAppInbound.SIGNATURE_HEADER, WhatsAppInbound.sign(Secret.of(WhatsAppTest.APP_SECRET), bytes(body)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signedPost(String body, long timestamp) throws Exception {
        String ts = Long.toString(timestamp);
        return http.send(HttpRequest.newBuilder(base.resolve("/channels/crm/messages"))
                .header(Signatures.TIMESTAMP_HEADER, ts)
                .header(Signatures.SIGNATURE_HEADER, Signatures.sign(Secret.of(SECRET), ts, bytes(body)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> slackPost(String body) throws Exception {
        String ts = Long.toString(Instant.now().getEpochSecond());
        return http.send(HttpRequest.newBuilder(base.resolve("/channels/slack/webhook"))
                .header(SlackInbound.TIMESTAMP_HEADER, ts)
                .header(SlackInbound.SIGNATURE_HEADER, SlackInbound.sign(Secret.of(SlackTest.SIGNING), ts, bytes(body)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
