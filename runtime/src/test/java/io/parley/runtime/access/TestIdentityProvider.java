package io.parley.runtime.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * An OIDC provider for tests: an RSA key pair, its JWKS served over real HTTP on a free local port,
 * and JWTs signed with it (or, for forgery tests, with another key). Shared by the tests of every
 * module through runtime's test jar.
 */
public final class TestIdentityProvider implements AutoCloseable {

    public static final String ISSUER = "https://id.test.invalid/";
    public static final String AUDIENCE = "parley-admin";

    private final RSAKey key;
    private final RSAKey stranger;
    private final HttpServer server;

    public TestIdentityProvider() {
        try {
            this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            this.stranger = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    /** Where the JWKS is served. */
    public URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    /** The public key in PEM. */
    public String publicKeyPem() {
        try {
            return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid JWT for {@code subject} whose {@code roles} claim holds {@code roles}. */
    public String token(String subject, String... roles) {
        return sign(key, claims(subject, ISSUER, AUDIENCE, Instant.now().plus(Duration.ofMinutes(5)), roles));
    }

    /** A JWT that expired a minute ago. */
    public String expired(String subject, String... roles) {
        return sign(key, claims(subject, ISSUER, AUDIENCE, Instant.now().minus(Duration.ofMinutes(1)), roles));
    }

    /** A JWT for another audience. */
    public String forAudience(String audience, String subject, String... roles) {
        return sign(key, claims(subject, ISSUER, audience, Instant.now().plus(Duration.ofMinutes(5)), roles));
    }

    /** A JWT of another issuer. */
    public String fromIssuer(String issuer, String subject, String... roles) {
        return sign(key, claims(subject, issuer, AUDIENCE, Instant.now().plus(Duration.ofMinutes(5)), roles));
    }

    /** A JWT signed by a key that is not the provider's (same key id). */
    public String forged(String subject, String... roles) {
        return sign(stranger, claims(subject, ISSUER, AUDIENCE, Instant.now().plus(Duration.ofMinutes(5)), roles));
    }

    /** An unsigned JWT ({@code alg=none}) with otherwise valid claims. */
    public String unsigned(String subject, String... roles) {
        return new PlainJWT(claims(subject, ISSUER, AUDIENCE, Instant.now().plus(Duration.ofMinutes(5)), roles)).serialize();
    }

    private static JWTClaimsSet claims(String subject, String issuer, String audience, Instant expiry, String... roles) {
        return new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
                .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(expiry)).claim("roles", List.of(roles)).build();
    }

    private static String sign(RSAKey signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
