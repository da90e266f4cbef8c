package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The redis connector on a real redis-server with a password. */
class RedisConnectorIT {

    private static final String PASSWORD = "s3cret-redis-pass";

    private static RedisServer redis;
    private static Path secrets;

    private Connectors connectors;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(PASSWORD);
        secrets = Files.createTempFile("redis", ".properties");
        Files.writeString(secrets, "password=" + PASSWORD + "\nwrong=not-the-password\n");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        Files.deleteIfExists(secrets);
    }

    @BeforeEach
    void seedShop() {
        try (Jedis jedis = redis.client()) {
            jedis.flushAll();
            jedis.set("greeting:alice", "Hello Alice");
            jedis.hset("prefs:alice", Map.of("language", "en", "newsletter", "yes"));
            jedis.zadd("top:products", Map.of("MUG-01", 30.0, "TEE-02", 12.0, "CAP-03", 21.0));
            jedis.set("stock:MUG-01", "5");
        }
        connectors = connectors("password");
    }

    @AfterEach
    void closeConnectors() {
        connectors.close();
    }

    private static Connectors connectors(String passwordEntry) {
        return Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: prefs
                    type: redis
                    url: %s
                    password: "${file:%s:%s}"
                    timeout: 2s
                    retry: {maxAttempts: 3, initialBackoff: 50ms}
                    operations:
                      greeting:
                        command: get
                        key: "greeting:{userId}"
                      language:
                        command: hget
                        key: "prefs:{userId}"
                        field: language
                      preferences:
                        command: hgetall
                        key: "prefs:{userId}"
                      checkedPreferences:
                        command: hgetall
                        key: "prefs:{userId}"
                        response:
                          schema: {type: object, required: [language], properties: {language: {enum: [de, fr]}}}
                      topProducts:
                        command: zrange
                        key: top:products
                        stop: "{last}"
                        reverse: true
                        withScores: true
                      setGreeting:
                        command: set
                        key: "greeting:{userId}"
                        value: "{text}"
                        ttl: 1h
                      savePreferences:
                        command: hset
                        key: "prefs:{userId}"
                        fields: {language: "{language}", newsletter: "{newsletter}"}
                      addPoints:
                        command: incrby
                        key: "points:{userId}"
                        by: "{points}"
                      reserve:
                        command: script
                        keys: ["stock:{sku}"]
                        args: ["{quantity}"]
                        script: |
                          local left = tonumber(redis.call('GET', KEYS[1]) or '0')
                          local wanted = tonumber(ARGV[1])
                          if wanted > left then
                            return {reserved = false, left = left}
                          end
                          return {reserved = true, left = redis.call('DECRBY', KEYS[1], wanted)}
                      stockLevel:
                        command: script
                        writes: false
                        keys: ["stock:{sku}"]
                        script: "return {left = tonumber(redis.call('GET', KEYS[1]) or '0')}"
                """.formatted(redis.url(), secrets, passwordEntry)).build();
    }

    private BackendResponse call(String operation, Map<String, String> params) {
        return connectors.call(request("prefs", operation, params));
    }

    private static String get(String key) {
        try (Jedis jedis = redis.client()) {
            return jedis.get(key);
        }
    }

    @Test
    void readsAnswerValuesHashesAndRankedMembersAsJson() {
        assertThat(call("greeting", Map.of("userId", "alice")).getResult()).isEqualTo("{\"value\":\"Hello Alice\"}");
        assertThat(call("language", Map.of("userId", "alice")).getResult()).isEqualTo("{\"value\":\"en\"}");
        assertThat(call("preferences", Map.of("userId", "alice")).getResult())
                .isEqualTo("{\"language\":\"en\",\"newsletter\":\"yes\"}");
        assertThat(call("topProducts", Map.of("last", "1")).getResult())
                .isEqualTo("[{\"member\":\"MUG-01\",\"score\":30.0},{\"member\":\"CAP-03\",\"score\":21.0}]");
    }

    @Test
    void aValueThatBreaksTheResponseSchemaIsInvalidResponse() {
        BackendResponse response = call("checkedPreferences", Map.of("userId", "alice"));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
        assertThat(response.getError()).isEqualTo("the response does not match its schema: /language: enum");
    }

    @Test
    void aMissingKeyOrFieldIsNotFound() {
        assertThat(call("greeting", Map.of("userId", "bob")).getStatus()).isEqualTo(BackendStatus.NOT_FOUND);
        assertThat(call("preferences", Map.of("userId", "bob")).getStatus()).isEqualTo(BackendStatus.NOT_FOUND);
    }

    @Test
    void writesSetValuesHashesAndCountersWithTheirTimeToLive() {
        BackendResponse set = call("setGreeting", Map.of("userId", "bob", "text", "Hi Bob"));
        BackendResponse saved = call("savePreferences", Map.of("userId", "bob", "language", "de", "newsletter", "no"));
        BackendResponse points = call("addPoints", Map.of("userId", "bob", "points", "30"));

        assertThat(set.getResult()).isEqualTo("{\"ok\":true}");
        assertThat(saved.getResult()).isEqualTo("{\"added\":2}");
        assertThat(points.getResult()).isEqualTo("{\"value\":30}");
        try (Jedis jedis = redis.client()) {
            assertThat(jedis.get("greeting:bob")).isEqualTo("Hi Bob");
            assertThat(jedis.pttl("greeting:bob")).isBetween(1L, 3_600_000L);
            assertThat(jedis.hgetAll("prefs:bob")).isEqualTo(Map.of("language", "de", "newsletter", "no"));
            assertThat(jedis.get("points:bob")).isEqualTo("30");
        }
    }

    @Test
    void theSameWriteDeliveredTwiceIsAppliedOnceAndAnsweredTheSame() {
        BackendRequest points = request("prefs", "addPoints", Map.of("userId", "alice", "points", "30"));
        BackendRequest reservation = request("prefs", "reserve", Map.of("sku", "MUG-01", "quantity", "2"));

        BackendResponse first = connectors.call(points);
        BackendResponse redelivered = connectors.call(points);
        BackendResponse reserved = connectors.call(reservation);
        BackendResponse reservedAgain = connectors.call(reservation);

        assertThat(first.getResult()).isEqualTo("{\"value\":30}");
        assertThat(redelivered.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(redelivered.getResult()).isEqualTo(first.getResult());
        assertThat(get("points:alice")).isEqualTo("30");
        assertThat(reserved.getResult()).isEqualTo("{\"reserved\":true,\"left\":3}");
        assertThat(reservedAgain.getResult()).isEqualTo(reserved.getResult());
        assertThat(get("stock:MUG-01")).isEqualTo("3");
    }

    @Test
    void concurrentDeliveriesOfOneWriteApplyItOnce() throws Exception {
        BackendRequest points = request("prefs", "addPoints", Map.of("userId", "carol", "points", "5"));
        ExecutorService deliveries = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<BackendResponse>> answers = List.of(connectors.callAsync(points, deliveries),
                    connectors.callAsync(points, deliveries), connectors.callAsync(points, deliveries),
                    connectors.callAsync(points, deliveries));

            assertThat(answers).allSatisfy(answer -> assertThat(answer.get().getResult()).isEqualTo("{\"value\":5}"));
            assertThat(get("points:carol")).isEqualTo("5");
        } finally {
            deliveries.shutdownNow();
        }
    }

    @Test
    void aScriptThatOnlyReadsRunsEveryTime() {
        assertThat(call("stockLevel", Map.of("sku", "MUG-01")).getResult()).isEqualTo("{\"left\":5}");
        assertThat(call("reserve", Map.of("sku", "MUG-01", "quantity", "9")).getResult())
                .isEqualTo("{\"reserved\":false,\"left\":5}");
    }

    @Test
    void aValueThatWouldMakeTheKeyAPatternOrAnotherCommandIsRefusedWithoutACall() {
        BackendResponse wildcard = call("greeting", Map.of("userId", "*"));
        BackendResponse newline = call("greeting", Map.of("userId", "alice\r\nFLUSHALL"));
        BackendResponse notANumber = call("addPoints", Map.of("userId", "alice", "points", "1 OR 2"));

        assertThat(wildcard.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(wildcard.getError()).isEqualTo("the key may not contain the pattern character '*'");
        assertThat(newline.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(notANumber.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(List.of(wildcard, newline, notANumber)).allSatisfy(response -> assertThat(response.getAttempts()).isZero());
        assertThat(get("greeting:alice")).isEqualTo("Hello Alice");
    }

    @Test
    void aValueIsDataEvenWhenItLooksLikeLua() {
        String hostile = "x'); redis.call('FLUSHALL'); --";

        BackendResponse response = call("setGreeting", Map.of("userId", "mallory", "text", hostile));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(get("greeting:mallory")).isEqualTo(hostile);
        assertThat(get("greeting:alice")).isEqualTo("Hello Alice");
    }

    @Test
    void aWrongPasswordIsUnauthorizedAndNotRetried() {
        try (Connectors wrong = connectors("wrong")) {
            BackendResponse response = wrong.call(request("prefs", "greeting", Map.of("userId", "alice")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.UNAUTHORIZED);
            assertThat(response.getError()).isEqualTo("the Redis server refused the credentials")
                    .doesNotContain(PASSWORD, "not-the-password");
            assertThat(response.getAttempts()).isEqualTo(1);
        }
    }

    @Test
    void callsGoOnAfterTheServerRestarts() throws Exception {
        // Given pooled connections to a server
        assertThat(call("greeting", Map.of("userId", "alice")).getStatus()).isEqualTo(BackendStatus.OK);

        // When it restarts (losing its data: no persistence) and is seeded again
        redis.restart();
        try (Jedis jedis = redis.client()) {
            jedis.set("greeting:alice", "Welcome back");
        }

        // Then the next call is answered, on a new connection
        BackendResponse response = call("greeting", Map.of("userId", "alice"));
        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("{\"value\":\"Welcome back\"}");
    }
}
