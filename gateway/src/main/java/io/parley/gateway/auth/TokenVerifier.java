package io.parley.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import io.parley.runtime.auth.JwtVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the short-lived user tokens that a site's backend signs for its users: HS256 with a
 * shared secret, or RS256 with keys from the site's JWKS URL. A token must pass {@link JwtVerifier} (signed,
 * never {@code alg=none}, unexpired, for the configured audience and issuer, when configured) and name a
 * subject, which becomes the user id.
 */
public final class TokenVerifier {

    private final JwtVerifier verifier;
    private final Clock clock;

    private TokenVerifier(JwtVerifier.Keys keys, JWSAlgorithm algorithm, String audience, String issuer, Clock clock) {
        this.clock = clock;
        this.verifier = JwtVerifier.of(JwtVerifier.Settings.of(keys, algorithm, audience, Optional.ofNullable(issuer), Set.of("sub")), clock);
    }

    /** A verifier of HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static TokenVerifier hs256(byte[] secret, String audience, String issuer, Clock clock) {
        return new TokenVerifier(new JwtVerifier.Keys.Shared(secret), JWSAlgorithm.HS256, audience, issuer, clock);
    }

    /** A verifier of RS256 tokens whose keys are published at {@code jwksUrl} (fetched and cached). */
    public static TokenVerifier rs256(URI jwksUrl, String audience, String issuer, Clock clock) {
        return new TokenVerifier(JwtVerifier.Keys.Jwks.at(jwksUrl), JWSAlgorithm.RS256, audience, issuer, clock);
    }

    /** A verifier of RS256 tokens with keys from a given source (tests, static key sets). */
    public static TokenVerifier rs256(JWKSource<SecurityContext> keys, String audience, String issuer, Clock clock) {
        return new TokenVerifier(new JwtVerifier.Keys.Source(keys), JWSAlgorithm.RS256, audience, issuer, clock);
    }

    /**
     * The user the token names.
     *
     * @throws TokenRejectedException with a reason fit for a close frame when the token is refused
     */
    public VerifiedUser verify(String token) throws TokenRejectedException {
        JwtVerifier.Result result = verifier.verify(token);
        if (result instanceof JwtVerifier.Refused refused) {
            throw new TokenRejectedException(switch (refused.reason()) {
                case MISSING_CLAIM -> "token lacks a required claim (sub, exp)";
                case KEYS_UNAVAILABLE, UNVERIFIABLE -> "token could not be verified";
                default -> "token " + refused.reason().text();
            });
        }
        JWTClaimsSet claims = ((JwtVerifier.Verified) result).claims();
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank() || subject.getBytes(StandardCharsets.UTF_8).length > 256) {
            throw new TokenRejectedException("token subject missing or too long");
        }
        return new VerifiedUser(subject, claims.getExpirationTime().toInstant());
    }

    Clock clock() {
        return clock;
    }
}
