package io.parley.runtime.access;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.runtime.auth.JwtVerifier;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the {@code Authorization: Bearer} credential of a request against {@link AccessSettings}:
 * a configured token (compared in constant time) or a JWT of the OIDC provider (signed with an
 * accepted asymmetric algorithm, never {@code alg=none}, unexpired, of the configured issuer and
 * audience). No or a bad credential is refused with 401, a good one whose role is not enough
 * with 403; both are counted in {@code parley_access_refused_total{status}}.
 */
public final class AccessControl {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final AccessSettings settings;
    private final JwtVerifier jwts;
    private volatile Counter unauthenticated;
    private volatile Counter forbidden;

    private AccessControl(AccessSettings settings, Clock clock) {
        this.settings = settings;
        this.jwts = settings.oidc().map(oidc -> verifier(oidc, clock)).orElse(null);
    }

    /** Access as configured; {@code clock} decides when a JWT has expired. */
    public static AccessControl of(AccessSettings settings, Clock clock) {
        return new AccessControl(settings, clock);
    }

    /** Counts refusals in {@code registry} ({@code parley_access_refused_total{status="401"|"403"}}). */
    public AccessControl countRefusals(MeterRegistry registry) {
        unauthenticated = Counter.builder("parley.access.refused").tag("status", "401")
                .description("Requests refused at the admin endpoints and the console").register(registry);
        forbidden = Counter.builder("parley.access.refused").tag("status", "403")
                .description("Requests refused at the admin endpoints and the console").register(registry);
        return this;
    }

    /** The settings checked against. */
    public AccessSettings settings() {
        return settings;
    }

    /** Whether any credential is configured; without one, protected endpoints are off. */
    public boolean configured() {
        return settings.configured();
    }

    /**
     * The caller, if the request's {@code Authorization} header carries a credential granting at least {@code required}.
     *
     * @param authorization the header's value, or null when absent
     */
    public Verdict check(String authorization, Role required) {
        Verdict verdict = verdict(authorization, required);
        if (verdict instanceof Verdict.Refused refused) {
            Counter counter = refused.status() == 401 ? unauthenticated : forbidden;
            if (counter != null) {
                counter.increment();
            }
        }
        return verdict;
    }

    private Verdict verdict(String authorization, Role required) {
        if (authorization == null || authorization.isBlank()) {
            return new Verdict.Refused(401, "a bearer token is required (Authorization: Bearer <token>)");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Verdict.Refused(401, "only bearer tokens are accepted (Authorization: Bearer <token>)");
        }
        String credential = authorization.substring(7).strip();
        Optional<Caller> caller = configuredToken(credential);
        if (caller.isEmpty() && jwts != null && JwtVerifier.looksLikeJwt(credential)) {
            Verdict jwt = jwt(credential);
            if (jwt instanceof Verdict.Refused) {
                return jwt;
            }
            caller = Optional.of(((Verdict.Allowed) jwt).caller());
        }
        if (caller.isEmpty()) {
            return new Verdict.Refused(401, "the token is not known");
        }
        if (!caller.get().may(required)) {
            return new Verdict.Refused(403, "this needs the " + required.label() + " role; the token has "
                    + caller.get().role().label());
        }
        return new Verdict.Allowed(caller.get());
    }

    private Optional<Caller> configuredToken(String credential) {
        Caller found = null;
        // Every token is compared, so the time taken does not tell which one nearly matched.
        for (AccessSettings.NamedToken token : settings.tokens()) {
            if (token.token().matches(credential) && found == null) {
                found = new Caller(token.name(), token.role());
            }
        }
        return Optional.ofNullable(found);
    }

    private Verdict jwt(String credential) {
        AccessSettings.Oidc oidc = settings.oidc().orElseThrow();
        JwtVerifier.Result result = jwts.verify(credential);
        if (result instanceof JwtVerifier.Refused refused) {
            return new Verdict.Refused(401, switch (refused.reason()) {
                case MALFORMED, MISSING -> "the token is not known and is not a readable JWT";
                case UNSIGNED -> "the JWT is unsigned (alg=none is refused)";
                case EXPIRED -> "the JWT has expired";
                case SIGNATURE -> "the JWT's signature is invalid or its algorithm is not accepted";
                case KEYS_UNAVAILABLE, UNVERIFIABLE -> "the JWT could not be verified";
                default -> "the JWT's claims are not accepted (issuer, audience, sub and exp are checked)";
            });
        }
        JWTClaimsSet claims = ((JwtVerifier.Verified) result).claims();
        Role best = null;
        for (String value : claimValues(claims.getClaims(), oidc.rolesClaim())) {
            Role role = oidc.roles().get(value);
            if (role != null && (best == null || role.includes(best))) {
                best = role;
            }
        }
        if (best == null) {
            return new Verdict.Refused(403, "the JWT's " + oidc.rolesClaim() + " claim grants no Parley role");
        }
        return new Verdict.Allowed(new Caller("oidc:" + claims.getSubject(), best));
    }

    /** The values of a claim (a string or a list of strings), following dots into nested objects. */
    static java.util.List<String> claimValues(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return java.util.List.of();
            }
            value = map.get(part);
        }
        if (value instanceof String text) {
            return java.util.List.of(text);
        }
        if (value instanceof Collection<?> items) {
            return items.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return java.util.List.of();
    }

    private static JwtVerifier verifier(AccessSettings.Oidc oidc, Clock clock) {
        JwtVerifier.Keys keys;
        if (oidc.jwksUrl().isPresent()) {
            keys = JwtVerifier.Keys.Jwks.at(oidc.jwksUrl().get());
        } else {
            keys = new JwtVerifier.Keys.Single(PublicKeys.parse(oidc.publicKeyPem().orElseThrow()));
        }
        try {
            return JwtVerifier.of(new JwtVerifier.Settings(keys, ALGORITHMS, Optional.of(oidc.issuer()), Set.of(oidc.audience()),
                    Set.of("sub"), JwtVerifier.DEFAULT_CLOCK_SKEW), clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("access.oidc: " + e.getMessage(), e);
        }
    }
}
