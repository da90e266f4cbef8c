package io.parley.gateway.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.parley.gateway.MutableClock;
import io.parley.runtime.Secret;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatEventType;
import io.parley.schemas.ReplyKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TeamsTest {

    static final String APP_ID = "8e0b3f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b";
    static final String PASSWORD = "teams-app-password-for-tests";
    static final String SERVICE_URL = "https://smba.trafficmanager.net/emea/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
    private final List<Duration> waits = new ArrayList<>();
    private static final RSAKey KEY = generate("bf-key-1");
    private static final RSAKey OTHER = generate("bf-key-1");
    private WireMockServer api;

    static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TeamsSettings settings(URI base) {
        return new TeamsSettings("teams", "chat.replies.teams", APP_ID, Secret.of(PASSWORD),
                URI.create(base + "/openid"), URI.create(base + "/token"), TeamsSettings.DEFAULT_SCOPE,
                Map.of("aad-alice", "alice"), 3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 2000);
    }

    /** A Bot Framework-style token: RS256, issuer api.botframework.com, audience the app id, serviceurl claim. */
    static String token(RSAKey key, String issuer, String audience, String serviceUrl, Instant expires) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience)
                    .expirationTime(Date.from(expires)).notBeforeTime(Date.from(expires.minus(Duration.ofHours(1))));
            if (serviceUrl != null) {
                claims.claim("serviceurl", serviceUrl);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK set as the Bot Framework serves it: each public key with the channels it is endorsed for. */
    static String keySet(RSAKey key, String... endorsements) {
        Map<String, Object> jwk = new java.util.LinkedHashMap<>(key.toPublicJWK().toJSONObject());
        if (endorsements.length > 0) {
            jwk.put("endorsements", List.of(endorsements));
        }
        try {
            return JSON.writeValueAsString(Map.of("keys", List.of(jwk)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String activity(String id, String serviceUrl, String text) {
        return """
                {"type":"message","id":"%s","timestamp":"2023-11-14T22:13:15.123Z","serviceUrl":"%s",
                 "channelId":"msteams","from":{"id":"29:1abc","name":"Alice","aadObjectId":"aad-alice"},
                 "conversation":{"conversationType":"personal","id":"a:1XyZ-conv"},"recipient":{"id":"28:%s"},
                 "locale":"en-GB","text":"%s"}""".formatted(id, serviceUrl, APP_ID, text);
    }

    @BeforeEach
    void start() {
        api = new WireMockServer(options().dynamicPort());
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    private TeamsInbound inbound() {
        return new TeamsInbound(settings(URI.create(api.baseUrl())),
                new TeamsAuth(keySet(KEY, "msteams"), APP_ID, clock), clock);
    }

    private Instant in(Duration d) {
        return clock.instant().plus(d);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validActivityBecomesAChatEventOnceWithTheServiceUrlAndMentionsRemoved() {
        // Given a message activity with a valid token
        String bearer = "Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL, in(Duration.ofMinutes(30)));
        byte[] body = bytes(activity("1700000000123", SERVICE_URL, "<at>Parley</at> where is my order"));
        // When it is received
        Inbound.Decision decision = inbound().receive(bearer, body);
        // Then it is the mapped user's message in the conversation, carrying the serviceUrl
        assertThat(decision).isInstanceOf(Inbound.Accepted.class);
        ChatEvent event = ((Inbound.Accepted) decision).event();
        assertThat(event.getEventId()).isEqualTo("teams:1700000000123");
        assertThat(event.getConversationId()).isEqualTo("teams:a:1XyZ-conv");
        assertThat(event.getUserId()).isEqualTo("alice");
        assertThat(event.getText()).isEqualTo("where is my order");
        assertThat(event.getLocale()).isEqualTo("en-GB");
        assertThat(event.getPayload()).containsEntry("serviceUrl", SERVICE_URL);
    }

    @Test
    void redeliveredActivityIsADuplicate() {
        TeamsInbound teams = inbound();
        String bearer = "Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL, in(Duration.ofMinutes(30)));
        byte[] body = bytes(activity("dup-1", SERVICE_URL, "hi"));
        assertThat(teams.receive(bearer, body)).isInstanceOf(Inbound.Accepted.class);
        assertThat(teams.receive(bearer, body)).isEqualTo(new Inbound.Duplicate("dup-1"));
    }

    @Test
    void forgedExpiredWrongAudienceWrongIssuerUnsignedAndWrongServiceUrlAreRefused() throws Exception {
        TeamsInbound teams = inbound();
        byte[] body = bytes(activity("x-1", SERVICE_URL, "hi"));
        Instant later = in(Duration.ofMinutes(30));
        // signed by another key with the same key id
        assertThat(reason(teams.receive("Bearer " + token(OTHER, TeamsSettings.ISSUER, APP_ID, SERVICE_URL, later), body)))
                .isEqualTo("token signature invalid or algorithm not accepted");
        // expired beyond the 5-minute skew (but within it, accepted)
        assertThat(reason(teams.receive("Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL,
                clock.instant().minus(Duration.ofMinutes(6))), body))).isEqualTo("token expired");
        assertThat(teams.receive("Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL,
                clock.instant().minus(Duration.ofMinutes(4))), body)).isInstanceOf(Inbound.Accepted.class);
        // for another bot
        assertThat(reason(teams.receive("Bearer " + token(KEY, TeamsSettings.ISSUER,
                "00000000-0000-0000-0000-000000000000", SERVICE_URL, later), body)))
                .isEqualTo("token audience is not this bot's app id");
        // from another issuer
        assertThat(reason(teams.receive("Bearer " + token(KEY, "https://sts.windows.net/evil/", APP_ID, SERVICE_URL,
                later), body))).isEqualTo("token issuer is not https://api.botframework.com");
        // alg=none
        PlainJWT none = new PlainJWT(new JWTClaimsSet.Builder().issuer(TeamsSettings.ISSUER).audience(APP_ID)
                .expirationTime(Date.from(later)).claim("serviceurl", SERVICE_URL).build());
        assertThat(reason(teams.receive("Bearer " + none.serialize(), body))).isEqualTo("token unsigned (alg=none is refused)");
        // HS256 with the public key's modulus as a secret (algorithm confusion)
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issuer(TeamsSettings.ISSUER).audience(APP_ID).expirationTime(Date.from(later))
                .claim("serviceurl", SERVICE_URL).build());
        hs.sign(new MACSigner(KEY.toPublicJWK().getModulus().decode()));
        assertThat(reason(teams.receive("Bearer " + hs.serialize(), body)))
                .isEqualTo("token signature invalid or algorithm not accepted");
        // a valid token for another serviceUrl than the activity's (a replayed token pointed elsewhere)
        assertThat(reason(teams.receive("Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID,
                "https://smba.trafficmanager.net/amer/", later), body)))
                .isEqualTo("the activity's serviceUrl is not the token's serviceurl claim");
        // no serviceurl claim, no token, not a bearer
        assertThat(reason(teams.receive("Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, null, later), body)))
                .isEqualTo("token lacks the serviceurl claim");
        assertThat(reason(teams.receive(null, body))).isEqualTo("a Bot Framework bearer token is required");
        assertThat(reason(teams.receive("Basic abc", body))).isEqualTo("a Bot Framework bearer token is required");
    }

    @Test
    void keysAreFoundThroughTheOpenIdMetadata() throws Exception {
        // Given the metadata and key set served like the Bot Framework's
        api.stubFor(get("/openid").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"issuer\":\"https://api.botframework.com\",\"jwks_uri\":\"" + api.baseUrl() + "/keys\"}")));
        api.stubFor(get("/keys").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(keySet(KEY, "msteams"))));
        TeamsAuth auth = new TeamsAuth(URI.create(api.baseUrl() + "/openid"), APP_ID, HttpClient.newHttpClient(), clock);
        // Then a token signed with that key is accepted
        TeamsAuth.Verified verified = auth.verify("Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL,
                in(Duration.ofMinutes(30))));
        assertThat(verified.serviceUrl()).isEqualTo(SERVICE_URL);
        assertThat(verified.endorsements()).containsExactly("msteams");
    }

    @Test
    void aKeyNotEndorsedForTheActivitysChannelIsRefused() {
        // Given a valid token for a Teams activity
        String bearer = "Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL, in(Duration.ofMinutes(30)));
        byte[] body = bytes(activity("e-1", SERVICE_URL, "hi"));
        // When its key is endorsed only for other channels, or for none, it is refused
        for (String keys : List.of(keySet(KEY, "skype", "webchat"), keySet(KEY))) {
            TeamsInbound teams = new TeamsInbound(settings(URI.create(api.baseUrl())), new TeamsAuth(keys, APP_ID, clock), clock);
            assertThat(reason(teams.receive(bearer, body)))
                    .isEqualTo("the token's signing key is not endorsed for the activity's channelId");
        }
        // and a key endorsed for Teams does not admit an activity claiming another channel, or none
        TeamsInbound teams = inbound();
        assertThat(reason(teams.receive(bearer, bytes(activity("e-2", SERVICE_URL, "hi")
                .replace("\"channelId\":\"msteams\"", "\"channelId\":\"webchat\"")))))
                .isEqualTo("the token's signing key is not endorsed for the activity's channelId");
        assertThat(reason(teams.receive(bearer, bytes(activity("e-3", SERVICE_URL, "hi")
                .replace("\"channelId\":\"msteams\",", "")))))
                .isEqualTo("the token's signing key is not endorsed for the activity's channelId");
    }

    @Test
    void endorsementsComeFromTheKeySetServedThroughTheOpenIdMetadataAndARotatedKeyIsFetched() throws Exception {
        // Given metadata whose key set first holds only a key endorsed for another channel
        RSAKey rotated = generate("bf-key-2");
        api.stubFor(get("/openid").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"issuer\":\"https://api.botframework.com\",\"jwks_uri\":\"" + api.baseUrl() + "/keys\"}")));
        api.stubFor(get("/keys").willReturn(aResponse().withStatus(200).withBody(keySet(KEY, "skype"))));
        TeamsInbound teams = new TeamsInbound(settings(URI.create(api.baseUrl())),
                new TeamsAuth(URI.create(api.baseUrl() + "/openid"), APP_ID, HttpClient.newHttpClient(), clock), clock);
        String bearer = "Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL, in(Duration.ofMinutes(30)));
        // Then a Teams activity signed by it is refused
        assertThat(reason(teams.receive(bearer, bytes(activity("k-1", SERVICE_URL, "hi")))))
                .isEqualTo("the token's signing key is not endorsed for the activity's channelId");
        // When the Bot Framework rotates to a new key endorsed for Teams
        api.stubFor(get("/keys").willReturn(aResponse().withStatus(200).withBody(keySet(rotated, "msteams"))));
        clock.advance(Duration.ofMinutes(1));
        // Then a token signed by the new key (an unknown key id) makes the key set be fetched again, and is accepted
        assertThat(teams.receive("Bearer " + token(rotated, TeamsSettings.ISSUER, APP_ID, SERVICE_URL,
                in(Duration.ofMinutes(30))), bytes(activity("k-2", SERVICE_URL, "hi")))).isInstanceOf(Inbound.Accepted.class);
    }

    @Test
    void unreachableMetadataIsA503SoTheBotFrameworkRetries() {
        TeamsInbound teams = new TeamsInbound(settings(URI.create(api.baseUrl())),
                new TeamsAuth(URI.create(api.baseUrl() + "/missing"), APP_ID, HttpClient.newHttpClient(), clock), clock);
        Inbound.Decision decision = teams.receive("Bearer " + token(KEY, TeamsSettings.ISSUER, APP_ID, SERVICE_URL,
                in(Duration.ofMinutes(30))), bytes(activity("m-1", SERVICE_URL, "hi")));
        assertThat(((Inbound.Refused) decision).status()).isEqualTo(503);
    }

    private static String reason(Inbound.Decision decision) {
        assertThat(decision).isInstanceOf(Inbound.Refused.class);
        assertThat(((Inbound.Refused) decision).status()).isEqualTo(401);
        return ((Inbound.Refused) decision).reason();
    }

    private static ChatEvent known(String conversation, String serviceUrl) {
        return ChatEvent.newBuilder().setEventId("teams:e").setConversationId(conversation).setUserId("alice")
                .setChannel("teams").setType(ChatEventType.MESSAGE).setText("hi")
                .setPayload(Map.of("serviceUrl", serviceUrl)).setLocale(null)
                .setOccurredAt(Instant.ofEpochSecond(1_700_000_000L)).build();
    }

    @Test
    void textLongerThanTheConnectorsLimitIsPostedInPartsOfAtMost20000Characters() throws Exception {
        // Given a known conversation and a reply of 20,500 characters
        api.stubFor(post("/token").willReturn(aResponse().withStatus(200).withBody(
                "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"bot-token-1\"}")));
        String path = "/emea/v3/conversations/a%3A1XyZ-conv/activities";
        api.stubFor(post(path).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"1\"}")));
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofDays(7), clock);
        ledger.record(known("teams:a:1XyZ-conv", api.baseUrl() + "/emea/"));
        TeamsSender sender = new TeamsSender(settings(URI.create(api.baseUrl())), ledger, HttpClient.newHttpClient(),
                clock, waits::add);
        String text = "word ".repeat(4100);
        // When it is sent
        assertThat(sender.deliver(TelegramTest.reply("teams:a:1XyZ-conv", text, List.of())).delivered()).isTrue();
        // Then it went as two message activities within the limit, together the whole text
        List<String> parts = new ArrayList<>();
        for (var call : api.findAll(postRequestedFor(urlEqualTo(path)))) {
            parts.add(JSON.readTree(call.getBody()).path("text").asText());
        }
        assertThat(parts).hasSize(2).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(TeamsSettings.MAX_TEXT));
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void replyIsPostedWithACachedTokenAsSuggestedActionsAndInterimAsTyping() throws Exception {
        // Given a token endpoint and a connector that once refuses our token
        api.stubFor(post("/token").willReturn(aResponse().withStatus(200).withBody(
                "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"bot-token-1\"}")));
        String path = "/emea/v3/conversations/a%3A1XyZ-conv/activities";
        api.stubFor(post(path).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"1\"}")));
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofDays(7), clock);
        ledger.record(known("teams:a:1XyZ-conv", api.baseUrl() + "/emea/"));
        TeamsSender sender = new TeamsSender(settings(URI.create(api.baseUrl())), ledger, HttpClient.newHttpClient(),
                clock, waits::add);
        // When an interim reply and an answer with quick replies are sent
        assertThat(sender.deliver(TelegramTest.reply("teams:a:1XyZ-conv", "", List.of(), ReplyKind.INTERIM)).delivered())
                .isTrue();
        assertThat(sender.deliver(TelegramTest.reply("teams:a:1XyZ-conv", "Order 1001 ships today",
                List.of("Track it", "Thanks"))).delivered()).isTrue();
        // Then a typing activity, then the message with suggested actions, with one token fetched for both
        var calls = api.findAll(postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer bot-token-1")));
        assertThat(calls).hasSize(2);
        assertThat(JSON.readTree(calls.get(0).getBody()).path("type").asText()).isEqualTo("typing");
        JsonNode message = JSON.readTree(calls.get(1).getBody());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("text").asText()).isEqualTo("Order 1001 ships today");
        assertThat(message.path("suggestedActions").path("actions").get(0).path("type").asText()).isEqualTo("imBack");
        assertThat(message.path("suggestedActions").path("actions").get(1).path("value").asText()).isEqualTo("Thanks");
        api.verify(1, postRequestedFor(urlEqualTo("/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("grant_type=client_credentials"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("client_id=" + APP_ID)));
        // and once the token is near its expiry, a new one is fetched
        clock.advance(Duration.ofMinutes(59));
        assertThat(sender.deliver(TelegramTest.reply("teams:a:1XyZ-conv", "again", List.of())).delivered()).isTrue();
        api.verify(2, postRequestedFor(urlEqualTo("/token")));
    }

    @Test
    void rejectedTokenIsRefetchedAndUnknownServiceUrlIsNotDelivered() throws Exception {
        api.stubFor(post("/token").willReturn(aResponse().withStatus(200).withBody(
                "{\"expires_in\":3599,\"access_token\":\"bot-token-2\"}")));
        String path = "/emea/v3/conversations/a%3A1XyZ-conv/activities";
        api.stubFor(post(path).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("ok"));
        api.stubFor(post(path).inScenario("s").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(201)));
        InboundLedger ledger = InboundLedger.inMemory(Duration.ofDays(7), clock);
        ledger.record(known("teams:a:1XyZ-conv", api.baseUrl() + "/emea"));
        TeamsSender sender = new TeamsSender(settings(URI.create(api.baseUrl())), ledger, HttpClient.newHttpClient(),
                clock, waits::add);
        RetryingPost.Outcome outcome = sender.deliver(TelegramTest.reply("teams:a:1XyZ-conv", "hi", List.of()));
        assertThat(outcome).isEqualTo(new RetryingPost.Outcome(true, 2, "message HTTP 201"));
        api.verify(2, postRequestedFor(urlEqualTo("/token")));
        // A conversation never heard from
        RetryingPost.Outcome unknown = sender.deliver(TelegramTest.reply("teams:a:other", "hi", List.of()));
        assertThat(unknown.delivered()).isFalse();
        assertThat(unknown.last()).contains("serviceUrl is unknown");
    }
}
