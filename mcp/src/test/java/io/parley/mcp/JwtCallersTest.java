package io.parley.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.parley.runtime.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** JWT callers: the user from the configured claim of a verified token, and every refusal with a reason that quotes nothing. */
class JwtCallersTest {

    static final byte[] SECRET = "an-hs256-secret-of-32-bytes-or-more!".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @RegisterExtension
    static final WireMockExtension identityProvider = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.1").dynamicPort()).build();

    private final JwtCallers hs256 = JwtCallers.hs256(SECRET, "parley-mcp", Optional.of("https://id.example"), "sub", CLOCK);

    static JWTClaimsSet.Builder claims(String subject, Instant expiry) {
        return new JWTClaimsSet.Builder().subject(subject).audience("parley-mcp").issuer("https://id.example")
                .expirationTime(Date.from(expiry));
    }

    static String hs256Token(JWTClaimsSet claims, byte[] secret) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    @Test
    void aValidTokenNamesItsSubjectAsTheUser() throws Exception {
        String token = hs256Token(claims("agent-bob", NOW.plusSeconds(300)).build(), SECRET);

        assertThat(hs256.verify(token).user()).contains("agent-bob");
    }

    @Test
    void theUserComesFromTheConfiguredClaim() throws Exception {
        JwtCallers byEmail = JwtCallers.hs256(SECRET, "parley-mcp", Optional.empty(), "preferred_username", CLOCK);
        String token = hs256Token(claims("opaque-id-17", NOW.plusSeconds(300)).claim("preferred_username", "carol").build(), SECRET);
        String without = hs256Token(claims("opaque-id-17", NOW.plusSeconds(300)).build(), SECRET);

        assertThat(byEmail.verify(token).user()).contains("carol");
        assertThat(byEmail.verify(without).user()).isEmpty();
    }

    @Test
    void expiredForgedForeignAndUnsignedTokensAreRefusedWithAReason() throws Exception {
        String expired = hs256Token(claims("agent-bob", NOW.minusSeconds(600)).build(), SECRET);
        String forged = hs256Token(claims("agent-bob", NOW.plusSeconds(300)).build(),
                "another-secret-of-32-bytes-or-more!!".getBytes(StandardCharsets.UTF_8));
        String otherAudience = hs256Token(claims("agent-bob", NOW.plusSeconds(300)).audience("billing").build(), SECRET);
        String otherIssuer = hs256Token(claims("agent-bob", NOW.plusSeconds(300)).issuer("https://evil.example").build(), SECRET);
        String unsigned = new PlainJWT(claims("agent-bob", NOW.plusSeconds(300)).build()).serialize();

        assertThat(hs256.verify(expired)).isEqualTo(new JwtCallers.Verdict(Optional.empty(), "expired"));
        assertThat(hs256.verify(forged)).isEqualTo(new JwtCallers.Verdict(Optional.empty(), "signature invalid or algorithm not accepted"));
        assertThat(hs256.verify(otherAudience)).isEqualTo(new JwtCallers.Verdict(Optional.empty(), "audience not accepted"));
        assertThat(hs256.verify(otherIssuer)).isEqualTo(new JwtCallers.Verdict(Optional.empty(), "issuer not accepted"));
        assertThat(hs256.verify(unsigned)).isEqualTo(new JwtCallers.Verdict(Optional.empty(), "unsigned (alg=none is refused)"));
        assertThat(hs256.verify("a.b.c").user()).isEmpty();
    }

    @Test
    void rs256TokensAreVerifiedWithTheKeysOfTheJwksUrlAndAnHs256TokenIsNotAccepted() throws Exception {
        // Given an identity provider publishing its RSA key
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        identityProvider.stubFor(get("/jwks.json").willReturn(okJson(new JWKSet(List.of(key.toPublicJWK())).toString())));
        JwtCallers rs256 = JwtCallers.rs256(URI.create(identityProvider.baseUrl() + "/jwks.json"), "parley-mcp",
                Optional.empty(), "sub", CLOCK);
        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                claims("agent-dave", NOW.plusSeconds(300)).build());
        signed.sign(new RSASSASigner(key));
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                claims("agent-dave", NOW.plusSeconds(300)).build());
        foreign.sign(new RSASSASigner(stranger));

        // Then its tokens are accepted, others' and HS256 ones (algorithm confusion) not
        assertThat(rs256.verify(signed.serialize())).isEqualTo(new JwtCallers.Verdict(Optional.of("agent-dave"), "verified"));
        assertThat(rs256.verify(foreign.serialize()).user()).isEmpty();
        assertThat(rs256.verify(hs256Token(claims("agent-dave", NOW.plusSeconds(300)).build(), SECRET)).user()).isEmpty();
    }

    @Test
    void staticTokensStillWorkBesideJwts() throws Exception {
        Callers callers = new Callers(List.of(new Callers.Caller("agent-alice", Secret.of("alice-static-token"))), Optional.of(hs256));

        assertThat(callers.identify("Bearer alice-static-token")).contains(new Callers.Identity("agent-alice", "token"));
        assertThat(callers.identify("Bearer " + hs256Token(claims("agent-bob", NOW.plusSeconds(60)).build(), SECRET)))
                .contains(new Callers.Identity("agent-bob", "jwt"));
        assertThat(callers.identify("Bearer " + hs256Token(claims("agent-bob", NOW.minusSeconds(60)).build(), SECRET))).isEmpty();
        assertThat(callers.identify("Basic alice-static-token")).isEmpty();
    }
}
