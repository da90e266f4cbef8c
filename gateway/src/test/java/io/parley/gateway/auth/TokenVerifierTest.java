package io.parley.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.parley.gateway.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final byte[] SECRET = "a-demo-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final TokenVerifier verifier = TokenVerifier.hs256(SECRET, "parley-web", null, clock);
    private final DemoTokens signer = new DemoTokens(SECRET, "parley-web", null, clock);

    @Test
    void validTokenNamesItsSubjectAsTheUser() throws Exception {
        // Given a token signed for alice
        String token = signer.sign("alice", Duration.ofMinutes(5));
        // When verified / Then the user is alice, until the token's expiry
        VerifiedUser user = verifier.verify(token);
        assertThat(user.userId()).isEqualTo("alice");
        assertThat(user.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void expiredTokenIsRefused() {
        String token = signer.sign("alice", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenRejectedException.class)
                .hasMessage("token expired");
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        DemoTokens forger = new DemoTokens("another-secret-that-is-32-bytes-long!".getBytes(StandardCharsets.UTF_8),
                "parley-web", null, clock);
        assertThatThrownBy(() -> verifier.verify(forger.sign("alice", Duration.ofMinutes(5))))
                .isInstanceOf(TokenRejectedException.class).hasMessageContaining("signature invalid");
    }

    @Test
    void unsignedTokenIsRefused() {
        String none = new PlainJWT(claims("alice", "parley-web")).serialize();
        assertThatThrownBy(() -> verifier.verify(none)).isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("alg=none");
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        DemoTokens otherSite = new DemoTokens(SECRET, "another-app", null, clock);
        assertThatThrownBy(() -> verifier.verify(otherSite.sign("alice", Duration.ofMinutes(5))))
                .isInstanceOf(TokenRejectedException.class).hasMessage("token audience not accepted");
    }

    @Test
    void garbageAndMissingTokensAreRefused() {
        assertThatThrownBy(() -> verifier.verify("not.a.jwt")).isInstanceOf(TokenRejectedException.class)
                .hasMessage("token malformed");
        assertThatThrownBy(() -> verifier.verify(null)).hasMessage("token missing");
    }

    @Test
    void rs256TokensAreVerifiedWithTheSitesKeysAndHs256IsNotAcceptedInstead() throws Exception {
        // Given a site publishing an RSA key
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        TokenVerifier rs = TokenVerifier.rs256(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), "parley-web",
                "https://shop.example", clock);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder(claims("bob", "parley-web")).issuer("https://shop.example").build());
        jwt.sign(new RSASSASigner(key));
        // When / Then: its token is accepted, an HS256 token is not
        assertThat(rs.verify(jwt.serialize()).userId()).isEqualTo("bob");
        assertThatThrownBy(() -> rs.verify(signer.sign("bob", Duration.ofMinutes(5))))
                .isInstanceOf(TokenRejectedException.class);
    }

    @Test
    void wrongIssuerIsRefused() {
        TokenVerifier strict = TokenVerifier.hs256(SECRET, "parley-web", "https://shop.example", clock);
        DemoTokens other = new DemoTokens(SECRET, "parley-web", "https://evil.example", clock);
        assertThatThrownBy(() -> strict.verify(other.sign("alice", Duration.ofMinutes(5))))
                .isInstanceOf(TokenRejectedException.class).hasMessage("token issuer not accepted");
    }

    private JWTClaimsSet claims(String user, String audience) {
        return new JWTClaimsSet.Builder().subject(user).audience(List.of(audience))
                .expirationTime(Date.from(clock.instant().plusSeconds(300))).build();
    }
}
