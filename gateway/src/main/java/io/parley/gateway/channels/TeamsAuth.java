package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jwt.JWTClaimsSet;
import io.parley.runtime.auth.JwtVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the bearer token the Bot Framework sends with each activity: a JWT signed RS256 by a key of the
 * Bot Framework's JWKS (found through the OpenID metadata document, fetched on first use and cached by
 * nimbus's JWK source, which refetches on an unknown key id), issuer {@code https://api.botframework.com},
 * audience the bot's app id, unexpired and not before its time within {@link TeamsSettings#SKEW}, and a
 * {@code serviceurl} claim, which the activity's {@code serviceUrl} must equal. {@code alg=none} and any other
 * algorithm are refused. The signing key's {@code endorsements} ({@link BotFrameworkKeys}) are returned with the
 * claim: the activity's {@code channelId} must be one of them ({@link TeamsInbound} checks both against the activity).
 */
public final class TeamsAuth {

    /** The token was refused; the reason names what failed, never the token. */
    public static final class Rejected extends Exception {
        public Rejected(String reason) {
            super(reason);
        }
    }

    /** The signing keys could not be fetched: the activity cannot be judged now (answered 503; the platform retries). */
    public static final class KeysUnavailable extends Exception {
        public KeysUnavailable(String reason) {
            super(reason);
        }
    }

    /**
     * A token that passed.
     *
     * @param serviceUrl its {@code serviceurl} claim
     * @param endorsements the channels its signing key is endorsed for
     */
    public record Verified(String serviceUrl, Set<String> endorsements) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BotFrameworkKeys keys;
    private final JwtVerifier verifier;

    /** Keys found through the OpenID metadata document at {@code metadataUrl} (its {@code jwks_uri}). */
    public TeamsAuth(URI metadataUrl, String audience, HttpClient http, Clock clock) {
        this(new BotFrameworkKeys(() -> fetch(http, jwksUri(http, metadataUrl)), clock), audience, clock);
    }

    /** A verifier with a given key set (tests). */
    TeamsAuth(String keySet, String audience, Clock clock) {
        this(new BotFrameworkKeys(() -> keySet, clock), audience, clock);
    }

    private TeamsAuth(BotFrameworkKeys keys, String audience, Clock clock) {
        this.keys = keys;
        this.verifier = JwtVerifier.of(new JwtVerifier.Settings(new JwtVerifier.Keys.Source(keys), Set.of(JWSAlgorithm.RS256),
                Optional.of(TeamsSettings.ISSUER), Set.of(audience), Set.of(), TeamsSettings.SKEW), clock);
    }

    /**
     * Checks an {@code Authorization} header.
     *
     * @return the token's {@code serviceurl} claim and its key's endorsements
     */
    public Verified verify(String authorization) throws Rejected, KeysUnavailable {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Rejected("a Bot Framework bearer token is required");
        }
        JwtVerifier.Result result = verifier.verify(authorization.substring(7));
        if (result instanceof JwtVerifier.Refused refused) {
            if (refused.reason() == JwtVerifier.Reason.KEYS_UNAVAILABLE) {
                throw new KeysUnavailable("the Bot Framework's signing keys could not be fetched");
            }
            throw new Rejected(switch (refused.reason()) {
                case AUDIENCE -> "token audience is not this bot's app id";
                case ISSUER -> "token issuer is not " + TeamsSettings.ISSUER;
                case MISSING_CLAIM -> "token lacks a required claim (exp, serviceurl)";
                case MISSING -> "token malformed";
                default -> "token " + refused.reason().text();
            });
        }
        JwtVerifier.Verified verified = (JwtVerifier.Verified) result;
        JWTClaimsSet claims = verified.claims();
        Object serviceUrl = claims.getClaim("serviceurl");
        if (!(serviceUrl instanceof String)) {
            serviceUrl = claims.getClaim("serviceUrl");
        }
        if (!(serviceUrl instanceof String s) || s.isBlank()) {
            throw new Rejected("token lacks the serviceurl claim");
        }
        try {
            return new Verified(s, keys.endorsements(verified.keyId().orElse(null)));
        } catch (KeySourceException e) {
            throw new KeysUnavailable("the Bot Framework's signing keys could not be fetched");
        }
    }

    private static URI jwksUri(HttpClient http, URI metadataUrl) throws IOException {
        JsonNode jwks = JSON.readTree(fetch(http, metadataUrl)).path("jwks_uri");
        if (!jwks.isTextual()) {
            throw new IOException("the OpenID metadata has no jwks_uri");
        }
        try {
            URI uri = URI.create(jwks.asText());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IOException("the OpenID metadata's jwks_uri is not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IOException("the OpenID metadata's jwks_uri is not a URL");
        }
    }

    private static String fetch(HttpClient http, URI uri) throws IOException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(uri.getPath() + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL");
        }
    }

}
