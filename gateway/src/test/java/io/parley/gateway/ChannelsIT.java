package io.parley.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.parley.gateway.channels.Signatures;
import io.parley.kafka.embedded.EmbeddedKafkaCluster;
import io.parley.runtime.Secret;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.ReplyKind;
import io.parley.topics.TopicNames;
import io.parley.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generic webhook/REST channels on two gateway instances, a real broker and a WireMock
 * stand-in for the caller's callback receiver: signed messages in, replies out by callback
 * (once across instances, signed, dead-lettered when undeliverable) and by long-poll.
 */
class ChannelsIT {

    private static final String REGISTRY = "mock://channels-it";
    private static final String CRM_SECRET = "crm-hmac-secret-of-at-least-32-bytes!!";
    private static final String OPS_TOKEN = "ops-bearer-token-of-at-least-32-characters";
    private static final String BOT_TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456789";
    private static final String TELEGRAM_SECRET = "telegram-webhook-secret_123";
    private static final String SLACK_SIGNING = "slack-signing-secret-for-tests";
    private static final String SLACK_BOT = "xoxb-test-bot-token-0123456789";
    private static final String WA_APP_SECRET = "whatsapp-app-secret-for-tests";
    private static final String WA_VERIFY = "whatsapp-verify-token-123";
    private static final String WA_ACCESS = "EAAG-whatsapp-access-token-for-tests";
    private static final String TEAMS_APP_ID = "8e0b3f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b";
    private static final String TEAMS_PASSWORD = "teams-app-password-for-tests";
    private static final RSAKey BOT_FRAMEWORK_KEY = rsaKey();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaCluster kafka;
    private static WireMockServer receiver;
    private static Gateway first;
    private static Gateway second;
    private static KafkaProducer<String, ChatReply> replies;
    private static KafkaConsumer<String, ChatEvent> events;
    private static final List<ConsumerRecord<String, ChatEvent>> seen = new ArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopics(3, "chat.events", "chat.replies.web", "chat.replies.crm", "chat.replies.ops",
                "chat.replies.flaky", "chat.replies.telegram", "chat.replies.slack", "chat.replies.wa", "chat.replies.teams", "chat.dlq",
                "chat.audit");
        receiver = new WireMockServer(options().dynamicPort());
        receiver.start();
        receiver.stubFor(post("/crm/replies").willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post("/flaky/replies").willReturn(aResponse().withStatus(500)));
        receiver.stubFor(post("/bot" + BOT_TOKEN + "/sendMessage").willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"result\":{\"message_id\":1}}")));
        receiver.stubFor(post("/slack-api/chat.postMessage").willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"channel\":\"D024BE91L\",\"ts\":\"1.2\"}")));
        receiver.stubFor(post("/graph/106540352242922/messages").willReturn(aResponse().withStatus(200)
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.OUT\"}]}")));
        receiver.stubFor(get("/bf/openid").willReturn(aResponse().withStatus(200).withHeader("Content-Type",
                "application/json").withBody("{\"issuer\":\"https://api.botframework.com\",\"jwks_uri\":\""
                + receiver.baseUrl() + "/bf/keys\"}")));
        receiver.stubFor(get("/bf/keys").willReturn(aResponse().withStatus(200).withHeader("Content-Type",
                "application/json").withBody(endorsedKeySet(BOT_FRAMEWORK_KEY, "msteams"))));
        receiver.stubFor(post("/bf/token").willReturn(aResponse().withStatus(200)
                .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"bot-access-token\"}")));
        receiver.stubFor(post(urlPathMatching("/teams-svc/v3/conversations/.*/activities"))
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"out-1\"}")));
        GatewayConfig config = GatewayConfig.parse("gateway.yaml", """
                http: {host: 127.0.0.1, port: 0}
                kafka: {bootstrap.servers: "%s"}
                schemaRegistry: {schema.registry.url: "%s"}
                tokens: {audience: parley-web, hs256Secret: "integration-secret-of-at-least-32-bytes"}
                conversationKey: "conversation-key-of-at-least-32-bytes"
                admin: {port: 0}
                channels:
                  - name: crm
                    hmacSecret: "%s"
                    callbackUrl: "%s/crm/replies"
                  - name: ops
                    bearerToken: "%s"
                    longPollWait: 20s
                  - name: flaky
                    hmacSecret: "%s"
                    callbackUrl: "%s/flaky/replies"
                    maxAttempts: 2
                    firstBackoff: 100ms
                  - name: telegram
                    type: telegram
                    botToken: "%s"
                    secretToken: "%s"
                    apiBaseUrl: "%s"
                    identities: {"4242": alice}
                  - name: slack
                    type: slack
                    signingSecret: "%s"
                    botToken: "%s"
                    apiBaseUrl: "%s/slack-api"
                    identities: {U2CERLKJA: alice}
                  - name: wa
                    type: whatsapp
                    appSecret: "%s"
                    verifyToken: "%s"
                    accessToken: "%s"
                    phoneNumberId: "106540352242922"
                    graphBaseUrl: "%s/graph"
                    templateName: order_update
                    identities: {"16505551234": alice}
                  - name: teams
                    type: teams
                    appId: "%s"
                    appPassword: "%s"
                    openIdMetadataUrl: "%s/bf/openid"
                    tokenUrl: "%s/bf/token"
                    identities: {aad-alice: alice}
                """.formatted(kafka.bootstrapServers(), REGISTRY, CRM_SECRET, receiver.baseUrl(), OPS_TOKEN, CRM_SECRET,
                receiver.baseUrl(), BOT_TOKEN, TELEGRAM_SECRET, receiver.baseUrl(), SLACK_SIGNING, SLACK_BOT,
                receiver.baseUrl(), WA_APP_SECRET, WA_VERIFY, WA_ACCESS, receiver.baseUrl(), TEAMS_APP_ID, TEAMS_PASSWORD,
                receiver.baseUrl(), receiver.baseUrl()));
        first = Gateway.start(config, Clock.systemUTC());
        second = Gateway.start(config, Clock.systemUTC());
        Topics topics = Topics.create(TopicNames.defaults(), Map.of("schema.registry.url", REGISTRY));
        var replyTopic = topics.replies("chat.replies.crm");
        replies = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                replyTopic.keySerde().serializer(), replyTopic.valueSerde().serializer());
        events = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "channels-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topics.chatEvents().keySerde().deserializer(), topics.chatEvents().valueSerde().deserializer());
        events.subscribe(List.of("chat.events"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {events, replies, first, second, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the rest still close
            }
        }
        if (receiver != null) {
            receiver.stop();
        }
    }

    @Test
    void signedMessageIsAcceptedAndProducedAsAChatEventOfTheChannel() throws Exception {
        // Given a signed message from the CRM backend
        String body = "{\"conversationId\":\"c-1\",\"userId\":\"u-1\",\"text\":\"where is my order 1001\",\"eventId\":\"e-1\"}";
        // When it is posted
        HttpResponse<String> response = signedPost(first, "crm", body);
        // Then it is accepted and produced, keyed by the channel's conversation id, with the caller's user
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("eventId").asText()).isEqualTo("e-1");
        ConsumerRecord<String, ChatEvent> record = awaitEvent("crm:e-1");
        assertThat(record.key()).isEqualTo("crm:c-1");
        assertThat(record.value().getUserId()).isEqualTo("u-1");
        assertThat(record.value().getChannel()).isEqualTo("crm");
        assertThat(record.value().getText()).isEqualTo("where is my order 1001");
    }

    @Test
    void unsignedStaleAndWronglySignedRequestsAreRefused() throws Exception {
        String body = "{\"conversationId\":\"c-9\",\"text\":\"hi\"}";
        assertThat(send(first, "/channels/crm/messages", body, Map.of()).statusCode()).isEqualTo(401);
        String stale = Long.toString(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        HttpResponse<String> staleResponse = send(first, "/channels/crm/messages", body, Map.of(
                Signatures.TIMESTAMP_HEADER, stale,
                Signatures.SIGNATURE_HEADER, Signatures.sign(Secret.of(CRM_SECRET), stale, bytes(body))));
        assertThat(staleResponse.statusCode()).isEqualTo(401);
        assertThat(staleResponse.body()).contains("stale");
        assertThat(send(first, "/channels/ops/messages", body, Map.of("Authorization", "Bearer nope")).statusCode())
                .isEqualTo(401);
        assertThat(send(first, "/channels/nosuch/messages", body, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void duplicateEventIdIsAcceptedButProducedOnce() throws Exception {
        String body = "{\"conversationId\":\"c-3\",\"text\":\"hello\",\"eventId\":\"e-dup\"}";
        assertThat(signedPost(first, "crm", body).statusCode()).isEqualTo(202);
        // A platform-style retry: signed afresh, same event id
        HttpResponse<String> again = signedPost(first, "crm", body, Instant.now().getEpochSecond() + 1);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).path("status").asText()).isEqualTo("duplicate");
        awaitEvent("crm:e-dup");
        // A later message is produced, and the duplicate never was
        signedPost(first, "crm", "{\"conversationId\":\"c-3\",\"text\":\"later\",\"eventId\":\"e-after-dup\"}");
        awaitEvent("crm:e-after-dup");
        assertThat(seen.stream().filter(r -> r.value().getEventId().equals("crm:e-dup"))).hasSize(1);
    }

    @Test
    void replyIsPostedToTheCallbackSignedAndOnceAcrossInstances() throws Exception {
        // Given a reply for a CRM conversation, with two gateway instances running
        produce("chat.replies.crm", reply("crm:c-2", "u-2", "r-crm-1", "Your order 1001 ships today"));
        // Then the receiver gets it once, signed with the channel's secret, with the caller's conversation id
        await().atMost(20, TimeUnit.SECONDS).until(() -> callbacks("/crm/replies", "r-crm-1").size() == 1);
        LoggedRequest call = callbacks("/crm/replies", "r-crm-1").get(0);
        assertThat(Signatures.matches(Secret.of(CRM_SECRET), call.getHeader(Signatures.TIMESTAMP_HEADER), call.getBody(),
                call.getHeader(Signatures.SIGNATURE_HEADER))).isTrue();
        JsonNode json = JSON.readTree(call.getBody());
        assertThat(json.path("conversationId").asText()).isEqualTo("c-2");
        assertThat(json.path("text").asText()).isEqualTo("Your order 1001 ships today");
        assertThat(json.path("kind").asText()).isEqualTo("ANSWER");
        // and not a second time, from the other instance
        await().during(2, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS)
                .until(() -> callbacks("/crm/replies", "r-crm-1").size() == 1);
    }

    @Test
    void undeliverableReplyGoesToTheDeadLetterTopicWithTheReasonAndIsCounted() throws Exception {
        try (KafkaConsumer<byte[], byte[]> dlq = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "channels-it-dlq", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of("chat.dlq"));
            // Given a receiver that always fails
            produce("chat.replies.flaky", reply("flaky:c-5", "u-5", "r-flaky-1", "secret text"));
            // Then after the configured attempts the reply is in the dead-letter topic, saying why
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(dead::add);
                return !dead.isEmpty();
            });
            ConsumerRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("flaky:c-5");
            assertThat(new String(letter.headers().lastHeader("parley.dlq.reason").value(), StandardCharsets.UTF_8))
                    .isEqualTo("delivery failed after 2 attempts: HTTP 500");
            assertThat(new String(letter.headers().lastHeader("parley.dlq.channel").value(), StandardCharsets.UTF_8))
                    .isEqualTo("flaky");
            receiver.verify(2, postRequestedFor(urlEqualTo("/flaky/replies")));
            // and counted
            await().atMost(10, TimeUnit.SECONDS).until(() -> metrics(first).contains(
                    "parley_gateway_channel_replies_total{channel=\"flaky\",outcome=\"dead_lettered\"} 1.0")
                    || metrics(second).contains(
                    "parley_gateway_channel_replies_total{channel=\"flaky\",outcome=\"dead_lettered\"} 1.0"));
        }
    }

    @Test
    void longPollWaitsForTheReplyOnAnyInstance() throws Exception {
        // Given a message in through the first instance, and a long-poll waiting on the second
        HttpResponse<String> in = send(first, "/channels/ops/messages",
                "{\"conversationId\":\"c-7\",\"userId\":\"u-7\",\"text\":\"status?\"}",
                Map.of("Authorization", "Bearer " + OPS_TOKEN));
        assertThat(in.statusCode()).isEqualTo(202);
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                        second.uri().resolve("/channels/ops/conversations/c-7/replies?wait=15"))
                .header("Authorization", "Bearer " + OPS_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        // When the reply comes
        produce("chat.replies.ops", reply("ops:c-7", "u-7", "r-ops-1", "All green"));
        // Then the poll answers with it
        HttpResponse<String> answer = waiting.get(20, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode got = JSON.readTree(answer.body()).path("replies");
        assertThat(got).hasSize(1);
        assertThat(got.get(0).path("replyId").asText()).isEqualTo("r-ops-1");
        assertThat(got.get(0).path("conversationId").asText()).isEqualTo("c-7");
        // and the first instance holds it too (once it has read it from its own tail of the reply topic),
        // and nothing after it
        HttpResponse<String> fromFirst = http.send(HttpRequest.newBuilder(
                        first.uri().resolve("/channels/ops/conversations/c-7/replies?wait=10"))
                .header("Authorization", "Bearer " + OPS_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(fromFirst.body()).path("replies").get(0).path("text").asText()).isEqualTo("All green");
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(
                        first.uri().resolve("/channels/ops/conversations/c-7/replies?after=r-ops-1&wait=0"))
                .header("Authorization", "Bearer " + OPS_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(after.body()).path("replies")).isEmpty();
        // and a poll without the token gets nothing
        assertThat(http.send(HttpRequest.newBuilder(first.uri().resolve("/channels/ops/conversations/c-7/replies?wait=0"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void telegramUpdateBecomesAChatEventAndTheReplyASendMessage() throws Exception {
        // Given an update from Telegram, delivered twice (Telegram redelivers until it gets a 2xx)
        String update = """
                {"update_id": 5001, "message": {"message_id": 1, "date": 1700000000,
                 "from": {"id": 4242, "is_bot": false, "first_name": "Alice", "language_code": "en"},
                 "chat": {"id": 31337, "type": "private"}, "text": "where is my order 1001"}}""";
        Map<String, String> secret = Map.of("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET);
        assertThat(send(first, "/channels/telegram/webhook", update, secret).statusCode()).isEqualTo(202);
        assertThat(send(first, "/channels/telegram/webhook", update, secret).statusCode()).isEqualTo(202);
        assertThat(send(first, "/channels/telegram/webhook", update, Map.of()).statusCode()).isEqualTo(401);
        // Then one chat event, of the mapped user, in the chat's conversation
        ConsumerRecord<String, ChatEvent> record = awaitEvent("telegram:5001");
        assertThat(record.key()).isEqualTo("telegram:31337");
        assertThat(record.value().getUserId()).isEqualTo("alice");
        signedPost(first, "crm", "{\"conversationId\":\"c-tg\",\"text\":\"marker\",\"eventId\":\"e-tg-marker\"}");
        awaitEvent("crm:e-tg-marker");
        assertThat(seen.stream().filter(r -> r.value().getEventId().equals("telegram:5001"))).hasSize(1);
        // When the reply comes, it is sent once with sendMessage to the chat, with its quick replies as a keyboard
        ChatReply reply = reply("telegram:31337", "alice", "r-tg-1", "Order 1001 ships today");
        reply.setQuickReplies(List.of("Track it"));
        produce("chat.replies.telegram", reply);
        String path = "/bot" + BOT_TOKEN + "/sendMessage";
        await().atMost(20, TimeUnit.SECONDS).until(() -> receiver.findAll(postRequestedFor(urlEqualTo(path))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("Order 1001 ships today")));
        JsonNode call = JSON.readTree(receiver.findAll(postRequestedFor(urlEqualTo(path))).stream()
                .filter(r -> r.getBodyAsString().contains("Order 1001")).findFirst().orElseThrow().getBody());
        assertThat(call.path("chat_id").asLong()).isEqualTo(31337);
        assertThat(call.path("reply_markup").path("keyboard").get(0).get(0).path("text").asText()).isEqualTo("Track it");
    }

    @Test
    void slackEventIsAcknowledgedProducedOnceAndAnsweredWithChatPostMessage() throws Exception {
        // Given Slack's url_verification handshake
        String challenge = "{\"token\":\"x\",\"challenge\":\"ch-123\",\"type\":\"url_verification\"}";
        HttpResponse<String> handshake = slackPost(challenge, Map.of());
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(handshake.body()).path("challenge").asText()).isEqualTo("ch-123");
        // When a user's message arrives, then again as Slack's retry
        String body = """
                {"token":"x","team_id":"T1","type":"event_callback","event_id":"Ev0IT","event_time":1700000000,
                 "event":{"type":"message","channel":"D024BE91L","user":"U2CERLKJA","text":"where is my order 1001"}}""";
        HttpResponse<String> answered = slackPost(body, Map.of());
        assertThat(answered.statusCode()).isEqualTo(200);
        HttpResponse<String> retry = slackPost(body, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body()).path("status").asText()).isEqualTo("duplicate");
        // Then it is one chat event of the mapped user in the Slack channel's conversation
        ConsumerRecord<String, ChatEvent> record = awaitEvent("slack:Ev0IT");
        assertThat(record.key()).isEqualTo("slack:D024BE91L");
        assertThat(record.value().getUserId()).isEqualTo("alice");
        // and its reply is posted to that channel
        produce("chat.replies.slack", reply("slack:D024BE91L", "alice", "r-slack-1", "Order 1001 ships today"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> receiver.findAll(postRequestedFor(
                urlEqualTo("/slack-api/chat.postMessage"))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("Order 1001 ships today")
                        && "Bearer xoxb-test-bot-token-0123456789".equals(r.getHeader("Authorization"))));
        // and a request not signed by Slack is refused
        assertThat(send(first, "/channels/slack/webhook", body, Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void slackButtonPressIsAChatEvent() throws Exception {
        String payload = """
                {"type":"block_actions","user":{"id":"U2CERLKJA"},"trigger_id":"it-trigger-1","channel":{"id":"D024BE91L"},
                 "actions":[{"action_id":"parley_quick_reply_0","block_id":"parley_quick_replies","value":"Track it",
                 "type":"button","action_ts":"1700000000.1"}]}""";
        String body = "payload=" + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());
        HttpResponse<String> answer = send(first, "/channels/slack/interactivity", body, Map.of(
                "X-Slack-Request-Timestamp", ts, "X-Slack-Signature",
                io.parley.gateway.channels.SlackInbound.sign(Secret.of(SLACK_SIGNING), ts, bytes(body))));
        assertThat(answer.statusCode()).isEqualTo(200);
        ConsumerRecord<String, ChatEvent> record = awaitEvent("slack:action:it-trigger-1");
        assertThat(record.key()).isEqualTo("slack:D024BE91L");
        assertThat(record.value().getText()).isEqualTo("Track it");
    }

    @Test
    void whatsAppMessageIsVerifiedProducedOnceAndAnsweredInsideOrOutsideTheWindow() throws Exception {
        // Given Meta's verification handshake
        HttpResponse<String> handshake = http.send(HttpRequest.newBuilder(first.uri().resolve(
                "/channels/wa/webhook?hub.mode=subscribe&hub.verify_token=" + WA_VERIFY + "&hub.challenge=1158201444"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).isEqualTo("1158201444");
        assertThat(http.send(HttpRequest.newBuilder(first.uri().resolve(
                "/channels/wa/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        // When a signed notification arrives, then again (Meta's redelivery)
        String notification = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
                 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
                 "phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Alice"},"wa_id":"16505551234"}],
                 "messages":[{"from":"16505551234","id":"wamid.IT1","timestamp":"%d","type":"text",
                 "text":{"body":"where is my order 1001"}}]},"field":"messages"}]}]}"""
                .formatted(Instant.now().getEpochSecond());
        Map<String, String> signed = Map.of("X-Hub-Signature-256",
                io.parley.gateway.channels.WhatsAppInbound.sign(Secret.of(WA_APP_SECRET), bytes(notification)));
        assertThat(send(first, "/channels/wa/webhook", notification, signed).statusCode()).isEqualTo(200);
        HttpResponse<String> redelivered = send(first, "/channels/wa/webhook", notification, signed);
        assertThat(JSON.readTree(redelivered.body()).path("status").asText()).isEqualTo("duplicate");
        assertThat(send(first, "/channels/wa/webhook", notification, Map.of()).statusCode()).isEqualTo(401);
        // Then one chat event of the mapped user in the user's conversation
        ConsumerRecord<String, ChatEvent> record = awaitEvent("wa:wamid.IT1");
        assertThat(record.key()).isEqualTo("wa:16505551234");
        assertThat(record.value().getUserId()).isEqualTo("alice");
        // When the answer comes, with quick replies
        ChatReply answer = reply("wa:16505551234", "alice", "r-wa-1", "Order 1001 ships today");
        answer.setInReplyTo("wa:wamid.IT1");
        answer.setQuickReplies(List.of("Track it", "Thanks"));
        produce("chat.replies.wa", answer);
        // Then it is sent as reply buttons with the access token (inside the 24-hour window)
        String graphPath = "/graph/106540352242922/messages";
        await().atMost(20, TimeUnit.SECONDS).until(() -> receiver.findAll(postRequestedFor(urlEqualTo(graphPath))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("Order 1001 ships today")));
        LoggedRequest sent = receiver.findAll(postRequestedFor(urlEqualTo(graphPath))).stream()
                .filter(r -> r.getBodyAsString().contains("Order 1001 ships today")).findFirst().orElseThrow();
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + WA_ACCESS);
        JsonNode body = JSON.readTree(sent.getBody());
        assertThat(body.path("to").asText()).isEqualTo("16505551234");
        assertThat(body.path("type").asText()).isEqualTo("interactive");
        assertThat(body.path("interactive").path("action").path("buttons")).hasSize(2);
        // and a notification to a user who never wrote goes out as the configured template
        ChatReply notice = reply("wa:15550001111", "bob", "r-wa-2", "Your parcel arrives tomorrow");
        notice.setKind(ReplyKind.NOTIFICATION);
        produce("chat.replies.wa", notice);
        await().atMost(20, TimeUnit.SECONDS).until(() -> receiver.findAll(postRequestedFor(urlEqualTo(graphPath))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("15550001111")));
        JsonNode template = JSON.readTree(receiver.findAll(postRequestedFor(urlEqualTo(graphPath))).stream()
                .filter(r -> r.getBodyAsString().contains("15550001111")).findFirst().orElseThrow().getBody());
        assertThat(template.path("type").asText()).isEqualTo("template");
        assertThat(template.path("template").path("name").asText()).isEqualTo("order_update");
    }

    @Test
    void teamsActivityIsAuthenticatedProducedAndAnsweredThroughTheBotConnector() throws Exception {
        // Given an activity from the Bot Framework, with a token signed by a key its OpenID metadata publishes
        String serviceUrl = receiver.baseUrl() + "/teams-svc/";
        String activity = """
                {"type":"message","id":"1700000000999","timestamp":"%s","serviceUrl":"%s","channelId":"msteams",
                 "from":{"id":"29:1abc","name":"Alice","aadObjectId":"aad-alice"},
                 "conversation":{"conversationType":"personal","id":"a:1it-conv"},"recipient":{"id":"28:%s"},
                 "text":"<at>Parley</at> where is my order 1001"}""".formatted(Instant.now(), serviceUrl, TEAMS_APP_ID);
        String token = botFrameworkToken(BOT_FRAMEWORK_KEY, TEAMS_APP_ID, serviceUrl);
        // When it is posted, then redelivered
        assertThat(send(second, "/channels/teams/webhook", activity, Map.of("Authorization", "Bearer " + token))
                .statusCode()).isEqualTo(200);
        HttpResponse<String> again = send(second, "/channels/teams/webhook", activity,
                Map.of("Authorization", "Bearer " + token));
        assertThat(JSON.readTree(again.body()).path("status").asText()).isEqualTo("duplicate");
        // and forged (another key) or for another bot, it is refused
        assertThat(send(second, "/channels/teams/webhook", activity, Map.of("Authorization", "Bearer "
                + botFrameworkToken(rsaKey(), TEAMS_APP_ID, serviceUrl))).statusCode()).isEqualTo(401);
        assertThat(send(second, "/channels/teams/webhook", activity, Map.of("Authorization", "Bearer "
                + botFrameworkToken(BOT_FRAMEWORK_KEY, "00000000-0000-0000-0000-000000000000", serviceUrl)))
                .statusCode()).isEqualTo(401);
        // Then one chat event of the mapped user, the mention removed
        ConsumerRecord<String, ChatEvent> record = awaitEvent("teams:1700000000999");
        assertThat(record.key()).isEqualTo("teams:a:1it-conv");
        assertThat(record.value().getUserId()).isEqualTo("alice");
        assertThat(record.value().getText()).isEqualTo("where is my order 1001");
        // When the reply comes, it is posted to the conversation at the activity's serviceUrl with the bot's token
        ChatReply answer = reply("teams:a:1it-conv", "alice", "r-teams-1", "Order 1001 ships today");
        answer.setInReplyTo("teams:1700000000999");
        answer.setQuickReplies(List.of("Track it"));
        produce("chat.replies.teams", answer);
        String path = "/teams-svc/v3/conversations/a%3A1it-conv/activities";
        await().atMost(20, TimeUnit.SECONDS).until(() -> receiver.findAll(postRequestedFor(urlEqualTo(path))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("Order 1001 ships today")));
        LoggedRequest sent = receiver.findAll(postRequestedFor(urlEqualTo(path))).stream()
                .filter(r -> r.getBodyAsString().contains("Order 1001 ships today")).findFirst().orElseThrow();
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer bot-access-token");
        assertThat(JSON.readTree(sent.getBody()).path("suggestedActions").path("actions").get(0).path("value").asText())
                .isEqualTo("Track it");
    }

    private static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("bf-it-key").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String botFrameworkToken(RSAKey key, String audience, String serviceUrl) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("https://api.botframework.com").audience(audience)
                        .expirationTime(java.util.Date.from(Instant.now().plusSeconds(1800)))
                        .claim("serviceurl", serviceUrl).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static HttpResponse<String> slackPost(String body, Map<String, String> extra) throws Exception {
        String ts = Long.toString(Instant.now().getEpochSecond());
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put("X-Slack-Request-Timestamp", ts);
        headers.put("X-Slack-Signature", io.parley.gateway.channels.SlackInbound.sign(Secret.of(SLACK_SIGNING), ts,
                bytes(body)));
        return send(second, "/channels/slack/webhook", body, headers);
    }

    private static List<LoggedRequest> callbacks(String path, String replyId) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path))).stream()
                .filter(r -> replyId.equals(r.getHeader("X-Parley-Reply-Id"))).toList();
    }

    private static HttpResponse<String> signedPost(Gateway gateway, String channel, String body) throws Exception {
        return signedPost(gateway, channel, body, Instant.now().getEpochSecond());
    }

    private static HttpResponse<String> signedPost(Gateway gateway, String channel, String body, long timestamp)
            throws Exception {
        String ts = Long.toString(timestamp);
        return send(gateway, "/channels/" + channel + "/messages", body, Map.of(Signatures.TIMESTAMP_HEADER, ts,
                Signatures.SIGNATURE_HEADER, Signatures.sign(Secret.of(CRM_SECRET), ts, bytes(body))));
    }

    private static HttpResponse<String> send(Gateway gateway, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri().resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metrics(Gateway gateway) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static synchronized ConsumerRecord<String, ChatEvent> awaitEvent(String eventId) {
        return await().atMost(20, TimeUnit.SECONDS).until(() -> {
            events.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(r -> r.value().getEventId().equals(eventId)).findFirst().orElse(null);
        }, r -> r != null);
    }

    private static void produce(String topic, ChatReply reply) throws Exception {
        replies.send(new ProducerRecord<>(topic, reply.getConversationId(), reply)).get(10, TimeUnit.SECONDS);
    }

    private static ChatReply reply(String conversation, String user, String replyId, String text) {
        return ChatReply.newBuilder().setReplyId(replyId).setConversationId(conversation).setUserId(user)
                .setChannel(conversation.substring(0, conversation.indexOf(':'))).setInReplyTo(null)
                .setKind(ReplyKind.ANSWER).setText(text).setQuickReplies(List.of()).setData(Map.of())
                .setCreatedAt(Instant.now()).build();
    }

    /** The Bot Framework's key set shape: the public key with the channels it is endorsed for. */
    private static String endorsedKeySet(RSAKey key, String... endorsements) {
        Map<String, Object> jwk = new java.util.LinkedHashMap<>(key.toPublicJWK().toJSONObject());
        jwk.put("endorsements", List.of(endorsements));
        try {
            return JSON.writeValueAsString(Map.of("keys", List.of(jwk)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
