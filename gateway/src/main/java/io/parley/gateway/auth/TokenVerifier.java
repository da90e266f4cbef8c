package io.parley.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Set;

/**
 * Verifies the short-lived user tokens that a site's backend signs for its users: HS256 with a
 * shared secret, or RS256 with keys from the site's JWKS URL. A token must be signed (never
 * {@code alg=none}), unexpired, for the configured audience (and issuer, when configured), and
 * name a subject, which becomes the user id.
 */
public final class TokenVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Clock clock;

    private TokenVerifier(JWKSource<SecurityContext> keys, JWSAlgorithm algorithm, String audience, String issuer,
                          Clock clock) {
        this.clock = clock;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer != null) {
            exact.issuer(issuer);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, exact.build(), Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
    }

    /** A verifier of HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static TokenVerifier hs256(byte[] secret, String audience, String issuer, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the HS256 secret must be at least 32 bytes long");
        }
        return new TokenVerifier(new ImmutableSecret<>(secret.clone()), JWSAlgorithm.HS256, audience, issuer, clock);
    }

    /** A verifier of RS256 tokens whose keys are published at {@code jwksUrl} (fetched and cached). */
    public static TokenVerifier rs256(URI jwksUrl, String audience, String issuer, Clock clock) {
        try {
            return new TokenVerifier(JWKSourceBuilder.create(jwksUrl.toURL()).build(), JWSAlgorithm.RS256, audience,
                    issuer, clock);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL: " + e.getMessage(), e);
        }
    }

    /** A verifier of RS256 tokens with keys from a given source (tests, static key sets). */
    public static TokenVerifier rs256(JWKSource<SecurityContext> keys, String audience, String issuer, Clock clock) {
        return new TokenVerifier(keys, JWSAlgorithm.RS256, audience, issuer, clock);
    }

    /**
     * The user the token names.
     *
     * @throws TokenRejectedException with a reason fit for a close frame when the token is refused
     */
    public VerifiedUser verify(String token) throws TokenRejectedException {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException("token missing");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.strip());
        } catch (ParseException e) {
            throw new TokenRejectedException("token malformed");
        }
        if (jwt instanceof PlainJWT) {
            throw new TokenRejectedException("token unsigned (alg=none is refused)");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            throw new TokenRejectedException("token expired");
        } catch (BadJWTException e) {
            throw new TokenRejectedException(claimsReason(e.getMessage()));
        } catch (BadJOSEException e) {
            throw new TokenRejectedException("token signature invalid or algorithm not accepted");
        } catch (JOSEException e) {
            throw new TokenRejectedException("token could not be verified");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank() || subject.getBytes(StandardCharsets.UTF_8).length > 256) {
            throw new TokenRejectedException("token subject missing or too long");
        }
        return new VerifiedUser(subject, claims.getExpirationTime().toInstant());
    }

    private static String claimsReason(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("missing")) {
            return "token lacks a required claim (sub, exp)";
        }
        if (m.contains("aud")) {
            return "token audience not accepted";
        }
        if (m.contains("iss")) {
            return "token issuer not accepted";
        }
        if (m.contains("before")) {
            return "token not yet valid";
        }
        return "token claims not accepted";
    }

    Clock clock() {
        return clock;
    }
}
