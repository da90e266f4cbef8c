package io.parley.mcp;

import com.nimbusds.jose.JWSAlgorithm;
import io.parley.runtime.auth.JwtVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Callers that present a signed JWT: HS256 with a shared secret, or RS256 with the keys an identity
 * provider publishes at its JWKS URL. A token is accepted when {@link JwtVerifier} accepts it (signed with the
 * configured algorithm, never {@code alg=none}, unexpired, for the configured audience and (when configured)
 * issuer) and it names its user in the configured claim ({@code sub} unless configured); that claim's
 * value is the trusted user of the caller's tool calls.
 */
public final class JwtCallers {

    /** The longest user id taken from a token, in UTF-8 bytes. */
    static final int MAX_USER_BYTES = 256;

    private final JwtVerifier verifier;
    private final String userClaim;

    private JwtCallers(JwtVerifier.Keys keys, JWSAlgorithm algorithm, String audience, Optional<String> issuer, String userClaim,
                       Clock clock) {
        this.userClaim = userClaim;
        this.verifier = JwtVerifier.of(JwtVerifier.Settings.of(keys, algorithm, audience, issuer, Set.of(userClaim)), clock);
    }

    /** Callers with HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static JwtCallers hs256(byte[] secret, String audience, Optional<String> issuer, String userClaim, Clock clock) {
        return new JwtCallers(new JwtVerifier.Keys.Shared(secret), JWSAlgorithm.HS256, audience, issuer, userClaim, clock);
    }

    /** Callers with RS256 tokens whose keys are published at {@code jwksUrl} (fetched when needed, then cached). */
    public static JwtCallers rs256(URI jwksUrl, String audience, Optional<String> issuer, String userClaim, Clock clock) {
        try {
            return new JwtCallers(JwtVerifier.Keys.Jwks.at(jwksUrl), JWSAlgorithm.RS256, audience, issuer, userClaim, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a URL");
        }
    }

    /** Whether a bearer token has the shape of a JWT (three dot-separated parts); static tokens are tried otherwise. */
    static boolean looksLikeJwt(String token) {
        return JwtVerifier.looksLikeJwt(token);
    }

    /**
     * The user a token names, or why it is refused (a reason safe to log: it never quotes the token or its claims).
     */
    public Verdict verify(String token) {
        JwtVerifier.Result result = verifier.verify(token);
        if (result instanceof JwtVerifier.Refused refused) {
            return Verdict.refused(refused.reason().text());
        }
        Object user = ((JwtVerifier.Verified) result).claims().getClaim(userClaim);
        if (!(user instanceof String name) || name.isBlank() || name.getBytes(StandardCharsets.UTF_8).length > MAX_USER_BYTES) {
            return Verdict.refused("the claim " + userClaim + " is not a user id");
        }
        return new Verdict(Optional.of(name), "verified");
    }

    /** The outcome of a verification: the user, or none and a reason. */
    public record Verdict(Optional<String> user, String reason) {
        static Verdict refused(String reason) {
            return new Verdict(Optional.empty(), reason);
        }
    }
}
