package io.parley.mcp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * Callers that present a signed JWT: HS256 with a shared secret, or RS256 with the keys an identity
 * provider publishes at its JWKS URL. A token is accepted when it is signed with the configured
 * algorithm (never {@code alg=none}), unexpired, for the configured audience and (when configured)
 * issuer, and names its user in the configured claim ({@code sub} unless configured); that claim's
 * value is the trusted user of the caller's tool calls.
 */
public final class JwtCallers {

    /** The longest user id taken from a token, in UTF-8 bytes. */
    static final int MAX_USER_BYTES = 256;
    /** How long fetching the JWKS may take (the library's 500 ms default fails on a busy machine). */
    static final int KEYS_TIMEOUT_MILLIS = 5_000;
    static final int KEYS_MAX_BYTES = 256 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String userClaim;

    private JwtCallers(JWKSource<SecurityContext> keys, JWSAlgorithm algorithm, String audience, Optional<String> issuer,
                       String userClaim, Clock clock) {
        this.userClaim = userClaim;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        issuer.ifPresent(exact::issuer);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, exact.build(), Set.of("exp", userClaim)) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
    }

    /** Callers with HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static JwtCallers hs256(byte[] secret, String audience, Optional<String> issuer, String userClaim, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the HS256 secret must be at least 32 bytes long");
        }
        return new JwtCallers(new ImmutableSecret<>(secret.clone()), JWSAlgorithm.HS256, audience, issuer, userClaim, clock);
    }

    /** Callers with RS256 tokens whose keys are published at {@code jwksUrl} (fetched when needed, then cached). */
    public static JwtCallers rs256(URI jwksUrl, String audience, Optional<String> issuer, String userClaim, Clock clock) {
        try {
            return new JwtCallers(JWKSourceBuilder.create(jwksUrl.toURL(), new DefaultResourceRetriever(KEYS_TIMEOUT_MILLIS, KEYS_TIMEOUT_MILLIS, KEYS_MAX_BYTES))
                    // One retry of a failed fetch: a key set that cannot be fetched refuses every caller until the next try.
                    .retrying(true).build(), JWSAlgorithm.RS256, audience, issuer,
                    userClaim, clock);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a URL");
        }
    }

    /** Whether a bearer token has the shape of a JWT (three dot-separated parts); static tokens are tried otherwise. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The user a token names, or why it is refused (a reason safe to log: it never quotes the token or its claims).
     */
    public Verdict verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return Verdict.refused("malformed");
        }
        if (jwt instanceof PlainJWT) {
            return Verdict.refused("unsigned (alg=none is refused)");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException e) {
            // The expiry, audience, issuer and signature checks all end here; their message names the check, not values.
            return Verdict.refused(reason(e));
        } catch (JOSEException e) {
            return Verdict.refused("could not be verified");
        }
        Object user = claims.getClaim(userClaim);
        if (!(user instanceof String name) || name.isBlank() || name.getBytes(StandardCharsets.UTF_8).length > MAX_USER_BYTES) {
            return Verdict.refused("the claim " + userClaim + " is not a user id");
        }
        return new Verdict(Optional.of(name), "verified");
    }

    private static String reason(BadJOSEException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("expired")) {
            return "expired";
        }
        if (message.contains("aud")) {
            return "audience not accepted";
        }
        if (message.contains("iss") && !message.contains("missing")) {
            return "issuer not accepted";
        }
        if (message.contains("missing")) {
            return "a required claim is missing";
        }
        if (message.contains("before")) {
            return "not yet valid";
        }
        return "signature invalid or algorithm not accepted";
    }

    /** The outcome of a verification: the user, or none and a reason. */
    public record Verdict(Optional<String> user, String reason) {
        static Verdict refused(String reason) {
            return new Verdict(Optional.empty(), reason);
        }
    }
}
