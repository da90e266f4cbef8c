package io.parley.runtime.access;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.config.ConfigKeys;
import io.parley.runtime.config.ConfigSection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared {@code access:} section of processor.yaml, worker.yaml and gateway.yaml: who may do
 * what at the admin endpoints and the console.
 *
 * <pre>
 * access:
 *   openMetrics: true          # /metrics without a credential (Prometheus)
 *   openHealth: true           # /health/* without a credential (kubelet)
 *   tokens:
 *     - name: grafana
 *       token: ${file:/etc/parley/tokens.properties:grafana}
 *       role: viewer
 *   oidc:
 *     jwksUrl: https://id.example.com/.well-known/jwks.json
 *     issuer: https://id.example.com/
 *     audience: parley-admin
 *     rolesClaim: groups
 *     roles: {parley-operators: operator, parley-viewers: viewer}
 * </pre>
 *
 * @param tokens configured bearer tokens, each with a name and a role
 * @param oidc the OIDC provider whose JWTs are accepted, if any
 * @param openMetrics whether {@code /metrics} answers without a credential
 * @param openHealth whether {@code /health/*} answers without a credential
 */
public record AccessSettings(List<NamedToken> tokens, Optional<Oidc> oidc, boolean openMetrics, boolean openHealth) {

    /** Shortest token accepted. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** No credential configured; metrics and health open. */
    public static final AccessSettings NONE = new AccessSettings(List.of(), Optional.empty(), true, true);

    public static final ConfigKeys KEYS = ConfigKeys.section("access",
                    "Role-based access to the admin endpoints and the console (see docs/rbac.md)")
            .key("openMetrics", "boolean", "true", "/metrics answers without a credential (for Prometheus)")
            .key("openHealth", "boolean", "true", "/health/live and /health/ready answer without a credential (for the kubelet)")
            .key("tokens", "list of tokens", "none", "bearer tokens of people and tools, each with a name and a role")
            .key("oidc", "mapping", "none", "an OIDC provider whose JWTs carry the roles");
    public static final ConfigKeys TOKEN_KEYS = ConfigKeys.section("access.tokens[]", "A bearer token and its role")
            .key("name", "text", "", "who holds the token; audit records name it (required, unique)")
            .key("token", "secret", "", "the token, at least 16 characters; use ${file:...} or ${env:...} (required)")
            .key("role", "viewer or operator", "", "what the token may do (required)");
    public static final ConfigKeys OIDC_KEYS = ConfigKeys.section("access.oidc", "JWTs of an OIDC provider (RS256/ES256 family)")
            .key("jwksUrl", "URL", "none", "the provider's JWKS (keys fetched and cached); this or publicKey")
            .key("publicKey", "secret or PEM text", "none", "a PEM public key (-----BEGIN PUBLIC KEY-----); this or jwksUrl")
            .key("issuer", "text", "", "the exact iss claim (required)")
            .key("audience", "text", "", "the aud claim that must be present (required)")
            .key("rolesClaim", "claim name", "roles", "the claim carrying role values (a string or a list; dots reach nested claims, realm_access.roles)")
            .key("roles", "mapping of claim value to viewer/operator", "viewer: viewer, operator: operator",
                    "how claim values map to roles; the highest role found wins");

    /**
     * A configured token.
     *
     * @param name for audit records and logs; the token itself is never shown
     */
    public record NamedToken(String name, Secret token, Role role) {
    }

    /**
     * An OIDC provider.
     *
     * @param jwksUrl where its keys are published, or empty when {@code publicKeyPem} is set
     * @param publicKeyPem a PEM public key, or empty when {@code jwksUrl} is set
     * @param roles claim values to roles
     */
    public record Oidc(Optional<URI> jwksUrl, Optional<String> publicKeyPem, String issuer, String audience,
                       String rolesClaim, Map<String, Role> roles) {
    }

    /** Whether any credential is configured (without one, protected endpoints are off). */
    public boolean configured() {
        return !tokens.isEmpty() || oidc.isPresent();
    }

    /** These settings plus a token of the older single-token keys ({@code adminToken}, {@code sessionToken}), as an operator. */
    public AccessSettings withLegacyOperatorToken(String name, Secret token) {
        List<NamedToken> all = new ArrayList<>(tokens);
        all.add(new NamedToken(name, token, Role.OPERATOR));
        return new AccessSettings(List.copyOf(all), oidc, openMetrics, openHealth);
    }

    /** Reads the {@code access:} section (absent: {@link #NONE}). */
    public static AccessSettings read(ConfigSection section, ConfigVariables variables) {
        section.allowOnly(KEYS);
        boolean openMetrics = section.bool("openMetrics", true);
        boolean openHealth = section.bool("openHealth", true);
        List<NamedToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigSection item : section.objectList("tokens", node -> node.path("name").asText(null))) {
            item.allowOnly(TOKEN_KEYS);
            String name = item.requiredString("name");
            if (!names.add(name)) {
                throw item.error("name", "'" + name + "' is used by another token; names must be unique");
            }
            Secret token = item.secret("token", variables).orElseThrow(() -> item.error("token", "is required"));
            if (token.reveal().length() < MIN_TOKEN_LENGTH) {
                throw item.error("token", "is too short; use at least " + MIN_TOKEN_LENGTH + " characters of random text");
            }
            Role role = role(item, "role", item.requiredString("role"));
            tokens.add(new NamedToken(name, token, role));
        }
        Optional<Oidc> oidc = section.object("oidc").map(o -> readOidc(o, variables));
        return new AccessSettings(List.copyOf(tokens), oidc, openMetrics, openHealth);
    }

    private static Oidc readOidc(ConfigSection section, ConfigVariables variables) {
        section.allowOnly(OIDC_KEYS);
        Optional<String> jwks = section.resolvedString("jwksUrl", variables);
        Optional<String> pem = section.secret("publicKey", variables).map(Secret::reveal);
        if (jwks.isPresent() == pem.isPresent()) {
            throw section.error("needs exactly one of jwksUrl or publicKey");
        }
        Optional<URI> jwksUrl = jwks.map(text -> {
            try {
                URI uri = new URI(text.strip());
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw section.error("jwksUrl", "an http(s) URL expected (https://id.example.com/.well-known/jwks.json)");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw section.error("jwksUrl", "not a URL");
            }
        });
        pem.ifPresent(text -> {
            try {
                PublicKeys.parse(text);
            } catch (IllegalArgumentException e) {
                throw section.error("publicKey", e.getMessage());
            }
        });
        String issuer = section.requiredString("issuer");
        String audience = section.requiredString("audience");
        String claim = section.string("rolesClaim", "roles");
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, String> written = section.stringMap("roles");
        if (written.isEmpty()) {
            roles.put("viewer", Role.VIEWER);
            roles.put("operator", Role.OPERATOR);
        }
        ConfigSection rolesSection = section.section("roles");
        written.forEach((value, role) -> roles.put(value, role(rolesSection, value, role)));
        return new Oidc(jwksUrl, pem, issuer, audience, claim, Map.copyOf(roles));
    }

    private static Role role(ConfigSection section, String key, String text) {
        return Role.parse(text).orElseThrow(() -> section.error(key, "'" + text + "' is not a role; use viewer or operator"));
    }
}
