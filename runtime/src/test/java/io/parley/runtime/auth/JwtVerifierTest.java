package io.parley.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.parley.runtime.access.TestIdentityProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one JWT check: HS256 and RS256 (JWKS over real local HTTP), and every refusal with its reason. */
class JwtVerifierTest {

    private static final byte[] SECRET = "a-shared-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static TestIdentityProvider idp;

    @BeforeAll
    static void start() {
        idp = new TestIdentityProvider();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static JwtVerifier hs256() {
        return JwtVerifier.of(JwtVerifier.Settings.of(new JwtVerifier.Keys.Shared(SECRET), JWSAlgorithm.HS256, "parley",
                Optional.of("https://id.example"), Set.of("sub")), CLOCK);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").issuer("https://id.example").audience("parley")
                .expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    private static String hs256Token(JWTClaimsSet.Builder claims, byte[] secret) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static JwtVerifier.Reason refusal(JwtVerifier verifier, String token) {
        JwtVerifier.Result result = verifier.verify(token);
        assertThat(result).isInstanceOf(JwtVerifier.Refused.class);
        return ((JwtVerifier.Refused) result).reason();
    }

    @Test
    void anHs256TokenSignedWithTheSecretIsVerifiedWithItsClaims() throws JOSEException {
        JwtVerifier.Result result = hs256().verify(hs256Token(claims(), SECRET));

        assertThat(result).isInstanceOfSatisfying(JwtVerifier.Verified.class,
                verified -> assertThat(verified.claims().getSubject()).isEqualTo("alice"));
    }

    @Test
    void expiredTokensAreRefusedButTheClockSkewIsTolerated() throws JOSEException {
        String expiredLongAgo = hs256Token(claims().expirationTime(Date.from(NOW.minusSeconds(120))), SECRET);
        String expiredWithinSkew = hs256Token(claims().expirationTime(Date.from(NOW.minusSeconds(30))), SECRET);

        assertThat(refusal(hs256(), expiredLongAgo)).isEqualTo(JwtVerifier.Reason.EXPIRED);
        assertThat(hs256().verify(expiredWithinSkew)).isInstanceOf(JwtVerifier.Verified.class);
    }

    @Test
    void forgedUnsignedMisaddressedAndMalformedTokensAreRefusedWithTheirReason() throws JOSEException {
        JwtVerifier verifier = hs256();

        assertThat(refusal(verifier, hs256Token(claims(), "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(JwtVerifier.Reason.SIGNATURE);
        assertThat(refusal(verifier, new PlainJWT(claims().build()).serialize())).isEqualTo(JwtVerifier.Reason.UNSIGNED);
        assertThat(refusal(verifier, hs256Token(claims().audience("billing"), SECRET))).isEqualTo(JwtVerifier.Reason.AUDIENCE);
        assertThat(refusal(verifier, hs256Token(claims().issuer("https://evil.example"), SECRET))).isEqualTo(JwtVerifier.Reason.ISSUER);
        assertThat(refusal(verifier, hs256Token(claims().subject(null), SECRET))).isEqualTo(JwtVerifier.Reason.MISSING_CLAIM);
        assertThat(refusal(verifier, hs256Token(claims().notBeforeTime(Date.from(NOW.plusSeconds(600))), SECRET)))
                .isEqualTo(JwtVerifier.Reason.NOT_YET_VALID);
        assertThat(refusal(verifier, "not.a.jwt")).isEqualTo(JwtVerifier.Reason.MALFORMED);
        assertThat(refusal(verifier, "")).isEqualTo(JwtVerifier.Reason.MISSING);
        assertThat(JwtVerifier.Reason.SIGNATURE.text()).doesNotContain("alice");
    }

    @Test
    void rs256TokensAreVerifiedWithTheKeysOfAJwksServedOverHttp() {
        JwtVerifier verifier = JwtVerifier.of(JwtVerifier.Settings.of(JwtVerifier.Keys.Jwks.at(idp.jwksUrl()), JWSAlgorithm.RS256,
                TestIdentityProvider.AUDIENCE, Optional.of(TestIdentityProvider.ISSUER), Set.of("sub")), Clock.systemUTC());

        assertThat(verifier.verify(idp.token("bob", "viewer"))).isInstanceOfSatisfying(JwtVerifier.Verified.class, verified -> {
            assertThat(verified.claims().getSubject()).isEqualTo("bob");
            assertThat(verified.keyId()).isPresent();
        });
        assertThat(refusal(verifier, idp.forged("bob"))).isEqualTo(JwtVerifier.Reason.SIGNATURE);
        assertThat(refusal(verifier, idp.expired("bob"))).isEqualTo(JwtVerifier.Reason.EXPIRED);
        assertThat(refusal(verifier, idp.forAudience("billing", "bob"))).isEqualTo(JwtVerifier.Reason.AUDIENCE);
        assertThat(refusal(verifier, idp.fromIssuer("https://evil.example/", "bob"))).isEqualTo(JwtVerifier.Reason.ISSUER);
        assertThat(refusal(verifier, idp.unsigned("bob"))).isEqualTo(JwtVerifier.Reason.UNSIGNED);
    }

    @Test
    void anHs256TokenOfferedWhereOnlyRs256IsAllowedIsRefused() throws JOSEException {
        // Algorithm confusion: an HMAC token must not be checked with anything but an HMAC secret
        JwtVerifier verifier = JwtVerifier.of(JwtVerifier.Settings.of(JwtVerifier.Keys.Jwks.at(idp.jwksUrl()), JWSAlgorithm.RS256,
                "parley", Optional.of("https://id.example"), Set.of("sub")), CLOCK);

        assertThat(refusal(verifier, hs256Token(claims(), SECRET))).isEqualTo(JwtVerifier.Reason.SIGNATURE);
    }

    @Test
    void keysThatCannotBeFetchedRefuseTheTokenAsUnavailable() {
        JwtVerifier verifier = JwtVerifier.of(new JwtVerifier.Settings(
                new JwtVerifier.Keys.Jwks(URI.create("http://127.0.0.1:9/jwks.json"), Duration.ofMillis(500), 1024, Duration.ofMinutes(5)),
                Set.of(JWSAlgorithm.RS256), Optional.empty(), Set.of(TestIdentityProvider.AUDIENCE), Set.of(), JwtVerifier.DEFAULT_CLOCK_SKEW),
                Clock.systemUTC());

        assertThat(refusal(verifier, idp.token("bob"))).isEqualTo(JwtVerifier.Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void aShortSecretOrNoAudienceIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> JwtVerifier.of(JwtVerifier.Settings.of(new JwtVerifier.Keys.Shared(new byte[16]), JWSAlgorithm.HS256,
                "parley", Optional.empty(), Set.of()), CLOCK)).hasMessage("the HMAC secret must be at least 32 bytes long");
        assertThatThrownBy(() -> new JwtVerifier.Settings(new JwtVerifier.Keys.Shared(SECRET), Set.of(JWSAlgorithm.HS256), Optional.empty(),
                Set.of(), Set.of(), JwtVerifier.DEFAULT_CLOCK_SKEW)).hasMessageContaining("no audience");
    }
}
