package io.parley.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs HS256 user tokens the way a site's backend would: used by local mode (a demo token per
 * demo user) and by tests. Production sites sign their own tokens; the gateway only verifies.
 */
public final class DemoTokens {

    private final byte[] secret;
    private final String audience;
    private final String issuer;
    private final Clock clock;

    public DemoTokens(byte[] secret, String audience, String issuer, Clock clock) {
        this.secret = secret.clone();
        this.audience = audience;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A token for {@code userId}, valid for {@code lifetime}. */
    public String sign(String userId, Duration lifetime) {
        var now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .audience(List.of(audience))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        if (issuer != null) {
            claims.issuer(issuer);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
