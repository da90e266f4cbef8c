package io.parley.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.runtime.AdminServer;
import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.runtime.http.HttpReply;
import io.parley.runtime.config.ConfigSection;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every role against every kind of route of a real admin server, with configured tokens and with real JWTs from a served JWKS. */
class AdminServerAccessTest {

    private static final String VIEWER_TOKEN = "viewer-token-0123456789";
    private static final String OPERATOR_TOKEN = "operator-token-0123456789";
    private static final String LEGACY_TOKEN = "legacy-admin-token-0123456789";

    private static TestIdentityProvider idp;
    private static PrometheusMeterRegistry registry;
    private static AdminServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        idp = new TestIdentityProvider();
        AccessSettings settings = settings("""
                access:
                  tokens:
                    - {name: grafana, token: %s, role: viewer}
                    - {name: alice, token: %s, role: operator}
                  oidc:
                    jwksUrl: %s
                    issuer: %s
                    audience: %s
                    rolesClaim: roles
                    roles: {parley-viewers: viewer, parley-operators: operator}
                """.formatted(VIEWER_TOKEN, OPERATOR_TOKEN, idp.jwksUrl(), TestIdentityProvider.ISSUER, TestIdentityProvider.AUDIENCE))
                .withLegacyOperatorToken("admin.sessionToken", Secret.of(LEGACY_TOKEN));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = AdminServer.builder(registry).port(0)
                .access(AccessControl.of(settings, Clock.systemUTC()).countRefusals(registry))
                .route("/viewed/", Role.VIEWER, (call, caller) -> HttpReply.text(200, "text/plain", caller.orElseThrow().name()))
                .route("/operated/", Role.OPERATOR, (call, caller) -> HttpReply.text(200, "text/plain", caller.orElseThrow().name()))
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        idp.close();
    }

    static AccessSettings settings(String yaml) {
        ConfigSection root = ConfigSection.parse("processor.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        return AccessSettings.read(root.section("access"), ConfigVariables.withStandardProviders());
    }

    @Test
    void viewerTokensSeeViewerRoutesAndAreRefusedOperatorRoutes() throws Exception {
        // Given the viewer token "grafana"
        // When it calls a viewer route and an operator route
        HttpResponse<String> viewed = get("/viewed/x", "Bearer " + VIEWER_TOKEN);
        HttpResponse<String> operated = get("/operated/x", "Bearer " + VIEWER_TOKEN);
        // Then the first answers and names the caller, the second is 403 with a JSON reason
        assertThat(viewed.statusCode()).isEqualTo(200);
        assertThat(viewed.body()).isEqualTo("grafana");
        assertThat(operated.statusCode()).isEqualTo(403);
        assertThat(operated.body()).contains("\"error\":\"this needs the operator role; the token has viewer\"")
                .doesNotContain(VIEWER_TOKEN);
    }

    @Test
    void operatorTokensSeeEverything() throws Exception {
        assertThat(get("/viewed/x", "Bearer " + OPERATOR_TOKEN).body()).isEqualTo("alice");
        assertThat(get("/operated/x", "Bearer " + OPERATOR_TOKEN).body()).isEqualTo("alice");
    }

    @Test
    void theOlderSingleTokenIsAnOperator() throws Exception {
        assertThat(get("/operated/x", "Bearer " + LEGACY_TOKEN).body()).isEqualTo("admin.sessionToken");
    }

    @Test
    void jwtRolesComeFromTheConfiguredClaimAndMapping() throws Exception {
        // Given JWTs of the provider for a viewer, an operator and someone with both groups
        String viewer = idp.token("vera", "parley-viewers");
        String operator = idp.token("otto", "parley-operators");
        String both = idp.token("bo", "parley-viewers", "parley-operators");
        // Then each gets what its highest role allows, named by subject
        assertThat(get("/viewed/x", "Bearer " + viewer).body()).isEqualTo("oidc:vera");
        assertThat(get("/operated/x", "Bearer " + viewer).statusCode()).isEqualTo(403);
        assertThat(get("/operated/x", "Bearer " + operator).body()).isEqualTo("oidc:otto");
        assertThat(get("/operated/x", "Bearer " + both).body()).isEqualTo("oidc:bo");
    }

    @Test
    void aJwtWithoutAParleyRoleIsForbidden() throws Exception {
        HttpResponse<String> response = get("/viewed/x", "Bearer " + idp.token("nobody", "accounting"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("roles claim grants no Parley role");
    }

    @Test
    void forgedExpiredUnsignedAndMisaddressedJwtsAreRefused() throws Exception {
        assertRefused(idp.forged("mallory", "parley-operators"), "signature is invalid");
        assertRefused(idp.expired("otto", "parley-operators"), "has expired");
        assertRefused(idp.unsigned("mallory", "parley-operators"), "alg=none is refused");
        assertRefused(idp.forAudience("another-app", "otto", "parley-operators"), "claims are not accepted");
        assertRefused(idp.fromIssuer("https://evil.invalid/", "otto", "parley-operators"), "claims are not accepted");
        assertRefused("not-a-known-token-at-all", "not known");
    }

    @Test
    void missingOrOtherCredentialsAre401WithAChallenge() throws Exception {
        HttpResponse<String> none = get("/viewed/x", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get("/viewed/x", "Basic dXNlcjpwYXNz").statusCode()).isEqualTo(401);
    }

    @Test
    void metricsAndHealthStayOpenByDefaultAndRefusalsAreCounted() throws Exception {
        get("/operated/x", "Bearer " + VIEWER_TOKEN);
        get("/operated/x", null);
        HttpResponse<String> metrics = get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("parley_access_refused_total\\{status=\"401\"} [1-9]")
                .containsPattern("parley_access_refused_total\\{status=\"403\"} [1-9]");
        assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAndHealthCanNeedAViewer() throws Exception {
        // Given openMetrics and openHealth off
        AccessSettings closed = settings("""
                access:
                  openMetrics: false
                  openHealth: false
                  tokens: [{name: prometheus, token: %s, role: viewer}]
                """.formatted(VIEWER_TOKEN));
        try (AdminServer closedServer = AdminServer.builder(registry).port(0)
                .access(AccessControl.of(closed, Clock.systemUTC())).start()) {
            // Then both need a credential
            assertThat(get(closedServer, "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(closedServer, "/health/live", null).statusCode()).isEqualTo(401);
            assertThat(get(closedServer, "/metrics", "Bearer " + VIEWER_TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(closedServer, "/health/live", "Bearer " + VIEWER_TOKEN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutCredentialsViewerRoutesStayOpenAndOperatorRoutesAreRefused() throws Exception {
        try (AdminServer open = AdminServer.builder(registry).port(0)
                .route("/viewed/", Role.VIEWER, (call, caller) -> HttpReply.text(200, "text/plain", "seen"))
                .route("/operated/", Role.OPERATOR, (call, caller) -> HttpReply.text(200, "text/plain", "done"))
                .start()) {
            assertThat(get(open, "/viewed/x", null).body()).isEqualTo("seen");
            assertThat(get(open, "/operated/x", null).statusCode()).isEqualTo(401);
            assertThat(get(open, "/operated/x", "Bearer " + OPERATOR_TOKEN).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aPemKeyWorksLikeAJwks() throws Exception {
        AccessSettings pem = settings("""
                access:
                  oidc:
                    publicKey: |
                %s
                    issuer: %s
                    audience: %s
                """.formatted(idp.publicKeyPem().indent(6).stripTrailing(), TestIdentityProvider.ISSUER, TestIdentityProvider.AUDIENCE));
        AccessControl control = AccessControl.of(pem, Clock.systemUTC());
        assertThat(control.check("Bearer " + idp.token("otto", "operator"), Role.OPERATOR))
                .isEqualTo(new Verdict.Allowed(new Caller("oidc:otto", Role.OPERATOR)));
        assertThat(control.check("Bearer " + idp.forged("otto", "operator"), Role.VIEWER))
                .isInstanceOf(Verdict.Refused.class);
    }

    private void assertRefused(String token, String reason) throws Exception {
        HttpResponse<String> response = get("/viewed/x", "Bearer " + token);
        assertThat(response.statusCode()).as(reason).isEqualTo(401);
        assertThat(response.body()).contains(reason).doesNotContain(token);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return get(server, path, authorization);
    }

    private HttpResponse<String> get(AdminServer target, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
