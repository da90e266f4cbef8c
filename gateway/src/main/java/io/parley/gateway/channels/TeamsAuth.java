package io.parley.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Locale;
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
    private final String audience;
    private final Clock clock;
    private final BotFrameworkKeys keys;
    private final DefaultJWTProcessor<SecurityContext> processor;

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
        this.audience = audience;
        this.clock = clock;
        this.processor = processor(keys);
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
        JWT jwt;
        try {
            jwt = JWTParser.parse(authorization.substring(7).strip());
        } catch (ParseException e) {
            throw new Rejected("token malformed");
        }
        if (jwt instanceof PlainJWT) {
            throw new Rejected("token unsigned (alg=none is refused)");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            throw new Rejected("token expired");
        } catch (BadJWTException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            throw new Rejected(m.contains("aud") ? "token audience is not this bot's app id"
                    : m.contains("iss") ? "token issuer is not " + TeamsSettings.ISSUER
                    : m.contains("before") ? "token not yet valid"
                    : m.contains("missing") ? "token lacks a required claim (exp, serviceurl)" : "token claims not accepted");
        } catch (BadJOSEException e) {
            throw new Rejected("token signature invalid or algorithm not accepted");
        } catch (KeySourceException e) {
            throw new KeysUnavailable("the Bot Framework's signing keys could not be fetched");
        } catch (JOSEException e) {
            throw new Rejected("token could not be verified");
        }
        Object serviceUrl = claims.getClaim("serviceurl");
        if (!(serviceUrl instanceof String)) {
            serviceUrl = claims.getClaim("serviceUrl");
        }
        if (!(serviceUrl instanceof String s) || s.isBlank()) {
            throw new Rejected("token lacks the serviceurl claim");
        }
        try {
            return new Verified(s, keys.endorsements(((JWSObject) jwt).getHeader().getKeyID()));
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

    private DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(TeamsSettings.ISSUER).build(), Set.of("exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) TeamsSettings.SKEW.toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        return p;
    }
}
