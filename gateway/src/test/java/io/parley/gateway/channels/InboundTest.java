package io.parley.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.MutableClock;
import io.parley.runtime.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InboundTest {

    private static final String SECRET = "fixed-test-secret-of-at-least-32-bytes!";
    private static final String BODY = "{\"conversationId\":\"c-1\",\"text\":\"hello\"}";
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));

    static ChannelSettings settings(String name, Secret hmac, Secret bearer, URI callback) {
        return new ChannelSettings(name, "chat.replies." + name, hmac, bearer, Duration.ofMinutes(5), callback,
                hmac != null ? hmac : bearer, 3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofHours(1), 100, Duration.ofHours(1), 50);
    }

    private final Inbound signed = new Inbound(settings("crm", Secret.of(SECRET), null, null), clock);

    @Test
    void signatureMatchesAVectorComputedIndependently() {
        // Given the vector computed with: printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac '<secret>'
        String expected = "v1=a45c75d46f91d24647d360d2623d62c0f3158f7ff4e16506a898189c63fe5944";
        // Then the gateway signs and verifies the same
        assertThat(Signatures.sign(Secret.of(SECRET), "1700000000", bytes(BODY))).isEqualTo(expected);
        assertThat(Signatures.matches(Secret.of(SECRET), "1700000000", bytes(BODY), expected)).isTrue();
        assertThat(Signatures.matches(Secret.of(SECRET), "1700000001", bytes(BODY), expected)).isFalse();
    }

    @Test
    void signedMessageBecomesAChatEventOfTheChannelWithTheCallersUser() {
        String body = "{\"conversationId\":\"c-1\",\"userId\":\"u-7\",\"text\":\"where is my order 1001\","
                + "\"eventId\":\"e-1\",\"locale\":\"en-GB\"}";
        Inbound.Decision d = signed.receive("1700000000", sign("1700000000", body), null, bytes(body));
        assertThat(d).isInstanceOf(Inbound.Accepted.class);
        var event = ((Inbound.Accepted) d).event();
        assertThat(event.getConversationId()).isEqualTo("crm:c-1");
        assertThat(event.getUserId()).isEqualTo("u-7");
        assertThat(event.getChannel()).isEqualTo("crm");
        assertThat(event.getEventId()).isEqualTo("crm:e-1");
        assertThat(event.getText()).isEqualTo("where is my order 1001");
        assertThat(event.getLocale()).isEqualTo("en-GB");
    }

    @Test
    void staleTimestampIsRefusedEvenWithAGoodSignature() {
        clock.advance(Duration.ofMinutes(6));
        Inbound.Decision d = signed.receive("1700000000", sign("1700000000", BODY), null, bytes(BODY));
        assertThat(d).isInstanceOfSatisfying(Inbound.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).contains("stale");
        });
    }

    @Test
    void replayedSignatureIsRefused() {
        String sig = sign("1700000000", BODY);
        assertThat(signed.receive("1700000000", sig, null, bytes(BODY))).isInstanceOf(Inbound.Accepted.class);
        assertThat(signed.receive("1700000000", sig, null, bytes(BODY)))
                .isInstanceOfSatisfying(Inbound.Refused.class, r -> assertThat(r.reason()).contains("replayed"));
    }

    @Test
    void forgedOrMissingSignatureIsRefused() {
        String forged = Signatures.sign(Secret.of("another-secret-of-at-least-32-bytes!!"), "1700000000", bytes(BODY));
        assertThat(signed.receive("1700000000", forged, null, bytes(BODY)))
                .isInstanceOfSatisfying(Inbound.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
        assertThat(signed.receive(null, null, null, bytes(BODY)))
                .isInstanceOfSatisfying(Inbound.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
        // A signature of another body does not carry over
        String other = "{\"conversationId\":\"c-2\",\"text\":\"hello\"}";
        assertThat(signed.receive("1700000000", sign("1700000000", BODY), null, bytes(other)))
                .isInstanceOf(Inbound.Refused.class);
    }

    @Test
    void duplicateEventIdIsDroppedUntilItsEventFailedToBeProduced() {
        String body = "{\"conversationId\":\"c-1\",\"text\":\"hi\",\"eventId\":\"e-9\"}";
        Inbound.Decision first = signed.receive("1700000000", sign("1700000000", body), null, bytes(body));
        clock.advance(Duration.ofSeconds(1));
        Inbound.Decision again = signed.receive("1700000001", sign("1700000001", body), null, bytes(body));
        assertThat(again).isEqualTo(new Inbound.Duplicate("e-9"));
        // When producing the first failed, the caller's retry goes through
        signed.notProduced(((Inbound.Accepted) first).event());
        clock.advance(Duration.ofSeconds(1));
        assertThat(signed.receive("1700000002", sign("1700000002", body), null, bytes(body)))
                .isInstanceOf(Inbound.Accepted.class);
    }

    @Test
    void bearerChannelTakesOnlyItsToken() {
        Inbound bearer = new Inbound(settings("ops", null, Secret.of("bearer-token-of-at-least-32-characters"), null),
                clock);
        assertThat(bearer.receive(null, null, "Bearer bearer-token-of-at-least-32-characters", bytes(BODY)))
                .isInstanceOf(Inbound.Accepted.class);
        assertThat(bearer.receive(null, null, "Bearer wrong", bytes(BODY)))
                .isInstanceOfSatisfying(Inbound.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
        assertThat(bearer.receive(null, null, null, bytes(BODY))).isInstanceOf(Inbound.Refused.class);
    }

    @Test
    void badFieldsAreRefusedNamingTheField() {
        assertRefused("{\"text\":\"hi\"}", 400, "conversationId");
        assertRefused("{\"conversationId\":\"c\",\"text\":\"\"}", 400, "text");
        assertRefused("{\"conversationId\":\"c\",\"text\":\"hi\",\"admin\":true}", 400, "admin: unknown field");
        assertRefused("{\"conversationId\":\"c d\",\"text\":\"hi\"}", 400, "conversationId");
        assertRefused("{\"conversationId\":\"c\",\"text\":\"" + "x".repeat(51) + "\"}", 413, "text");
        assertRefused("not json", 400, "not JSON");
    }

    private void assertRefused(String body, int status, String mentions) {
        clock.advance(Duration.ofSeconds(1));
        String ts = Long.toString(clock.instant().getEpochSecond());
        assertThat(signed.receive(ts, sign(ts, body), null, bytes(body))).isInstanceOfSatisfying(Inbound.Refused.class,
                r -> {
                    assertThat(r.status()).isEqualTo(status);
                    assertThat(r.reason()).contains(mentions);
                });
    }

    private static String sign(String ts, String body) {
        return Signatures.sign(Secret.of(SECRET), ts, bytes(body));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
