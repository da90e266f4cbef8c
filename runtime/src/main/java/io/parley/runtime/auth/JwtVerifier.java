package io.parley.runtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
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
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Parley's one JWT check (gateway user tokens, Bot Framework tokens, OIDC access, MCP callers): signed with an allowed
 * algorithm by the configured key (never {@code alg=none}), unexpired and valid within the clock skew (time from the
 * given {@link Clock}), for an accepted audience, of the configured issuer, with the required claims.
 */
public final class JwtVerifier {

    /** nimbus's default. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    private final DefaultJWTProcessor<SecurityContext> processor;

    private JwtVerifier(DefaultJWTProcessor<SecurityContext> processor) {
        this.processor = processor;
    }

    /** A verifier as configured; {@link IllegalArgumentException} (naming no secret) for an unusable key. */
    public static JwtVerifier of(Settings settings, Clock clock) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keySelector(settings.keys(), Set.copyOf(settings.algorithms())));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        Set<String> required = new HashSet<>(settings.requiredClaims());
        required.add("exp");
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.copyOf(settings.audiences()),
                exact.build(), required, null) {
            @Override protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return new JwtVerifier(processor);
    }

    private static JWSKeySelector<SecurityContext> keySelector(Keys keys, Set<JWSAlgorithm> algorithms) {
        if (keys instanceof Keys.Shared shared) {
            if (shared.secret().length < 32) {
                throw new IllegalArgumentException("the HMAC secret must be at least 32 bytes long");
            }
            return new JWSVerificationKeySelector<>(algorithms, new ImmutableSecret<>(shared.secret().clone()));
        }
        if (keys instanceof Keys.Jwks || keys instanceof Keys.Source) {
            return new JWSVerificationKeySelector<>(algorithms, keys instanceof Keys.Source source ? source.keys() : source((Keys.Jwks) keys));
        }
        PublicKey key = ((Keys.Single) keys).key();
        // One configured key: any key id in the header, but only the allowed algorithms of the key's family.
        JWSAlgorithm.Family family = key instanceof RSAPublicKey ? JWSAlgorithm.Family.RSA : JWSAlgorithm.Family.EC;
        return (header, context) -> algorithms.contains(header.getAlgorithm()) && family.contains(header.getAlgorithm())
                ? List.of(key) : List.of();
    }

    private static JWKSource<SecurityContext> source(Keys.Jwks jwks) {
        int timeout = (int) jwks.timeout().toMillis();
        try {
            return JWKSourceBuilder.<SecurityContext>create(jwks.url().toURL(), new DefaultResourceRetriever(timeout, timeout, jwks.maxBytes()))
                    .cache(jwks.cacheFor().toMillis(), timeout)
                    // One retry of a failed fetch: a key set that cannot be fetched refuses every token until the next try.
                    .retrying(true)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL");
        }
    }

    /** Whether a bearer credential has the shape of a JWT (three dot-separated parts). */
    public static boolean looksLikeJwt(String token) {
        return token != null && token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The verified claims of a token, or why it is refused. */
    public Result verify(String token) {
        if (token == null || token.isBlank()) {
            return new Refused(Reason.MISSING);
        }
        try {
            JWT jwt = JWTParser.parse(token.strip());
            if (!(jwt instanceof JWSObject signed)) {
                return new Refused(jwt instanceof PlainJWT ? Reason.UNSIGNED : Reason.MALFORMED);
            }
            return new Verified(processor.process(jwt, null), Optional.ofNullable(signed.getHeader().getKeyID()));
        } catch (ParseException e) {
            return new Refused(Reason.MALFORMED);
        } catch (ExpiredJWTException e) {
            return new Refused(Reason.EXPIRED);
        } catch (BadJWTException e) {
            return new Refused(claimsReason(e.getMessage()));
        } catch (BadJOSEException e) {
            return new Refused(Reason.SIGNATURE);
        } catch (KeySourceException e) {
            return new Refused(Reason.KEYS_UNAVAILABLE);
        } catch (JOSEException e) {
            return new Refused(Reason.UNVERIFIABLE);
        }
    }

    /** nimbus names the failed claim check in its message (never with the token); the order matters: "missing" holds "iss". */
    private static Reason claimsReason(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("aud") ? Reason.AUDIENCE : m.contains("missing") ? Reason.MISSING_CLAIM
                : m.contains("iss") ? Reason.ISSUER : m.contains("before") ? Reason.NOT_YET_VALID : Reason.CLAIMS;
    }

    /**
     * What a verifier checks: the keys, the signature algorithms accepted ({@code none} never is), the {@code iss}
     * (any when empty), the {@code aud} values accepted (one is needed), claims needed besides {@code exp}, and how far
     * clocks may differ for {@code exp} and {@code nbf}.
     */
    public record Settings(Keys keys, Set<JWSAlgorithm> algorithms, Optional<String> issuer, Set<String> audiences,
                           Set<String> requiredClaims, Duration clockSkew) {

        public Settings {
            if (algorithms.isEmpty() || audiences.isEmpty()) {
                throw new IllegalArgumentException("no " + (algorithms.isEmpty() ? "signature algorithm" : "audience") + " is accepted");
            }
        }

        /** One algorithm, one audience, the default skew. */
        public static Settings of(Keys keys, JWSAlgorithm algorithm, String audience, Optional<String> issuer, Set<String> requiredClaims) {
            return new Settings(keys, Set.of(algorithm), issuer, Set.of(audience), requiredClaims, DEFAULT_CLOCK_SKEW);
        }
    }

    /** Where the verification keys come from. */
    public sealed interface Keys {

        /** A shared HMAC secret (HS256), at least 32 bytes. */
        record Shared(byte[] secret) implements Keys { }

        /** The keys published at a JWKS URL: fetched on first use, cached, fetched again for an unknown key id. */
        record Jwks(URI url, Duration timeout, int maxBytes, Duration cacheFor) implements Keys {

            /** A JWKS URL with a 5 s timeout (nimbus's 500 ms fails on a busy machine), 256 KiB, cached 5 minutes. */
            public static Jwks at(URI url) {
                return new Jwks(url, Duration.ofSeconds(5), 256 * 1024, Duration.ofMinutes(5));
            }
        }

        /** One configured public key, RSA or EC (only algorithms of its family). */
        record Single(PublicKey key) implements Keys { }

        /** Keys from a source of the caller's (e.g. one that knows more about each key). */
        record Source(JWKSource<SecurityContext> keys) implements Keys { }
    }

    /** The outcome of a verification. */
    public sealed interface Result { }
    /** An accepted token: its claims, and the id of the key that signed it when the header names one. */
    public record Verified(JWTClaimsSet claims, Optional<String> keyId) implements Result { }
    /** A refused token and why; {@link Reason#text()} is safe to log (it never quotes the token or its claims). */
    public record Refused(Reason reason) implements Result { }

    /** Why a token was refused. */
    public enum Reason {
        MISSING("missing"), MALFORMED("malformed"), UNSIGNED("unsigned (alg=none is refused)"), EXPIRED("expired"),
        NOT_YET_VALID("not yet valid"), AUDIENCE("audience not accepted"), ISSUER("issuer not accepted"),
        MISSING_CLAIM("a required claim is missing"), CLAIMS("claims not accepted"),
        SIGNATURE("signature invalid or algorithm not accepted"), KEYS_UNAVAILABLE("the signing keys could not be fetched"),
        UNVERIFIABLE("could not be verified");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }
}
