package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.ManualTime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Credentials of http connectors, from config providers to the wire. */
class HttpAuthIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @TempDir
    Path dir;

    private Path secrets;

    @BeforeEach
    void writeSecrets() throws Exception {
        secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "apiKey=k-123\ntoken=t-456\npassword=p-789\nclientSecret=cs-000\n");
    }

    private Connectors connectors(String auth, Connectors.Builder builder) {
        return builder.yaml("connectors.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    retry: {maxAttempts: 3, initialBackoff: 1ms}
                    auth: %s
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(shop.baseUrl(), auth.replace("SECRETS", secrets.toString()))).build();
    }

    private Connectors connectors(String auth) {
        return connectors(auth, Connectors.builder());
    }

    private static BackendResponse getOrder(Connectors connectors, Instant deadline) {
        return connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1"), deadline));
    }

    @Test
    void anApiKeyGoesInItsHeader() {
        shop.stubFor(get(urlPathMatching("/orders/.*")).withHeader("X-Shop-Key", equalTo("k-123")).willReturn(okJson("{}")));
        try (Connectors connectors = connectors("{type: apiKey, header: X-Shop-Key, value: \"${file:SECRETS:apiKey}\"}")) {
            assertThat(getOrder(connectors, Instant.now().plusSeconds(10)).getStatus()).isEqualTo(BackendStatus.OK);
        }
    }

    @Test
    void aBearerTokenGoesInTheAuthorizationHeader() {
        shop.stubFor(get(urlPathMatching("/orders/.*")).withHeader("Authorization", equalTo("Bearer t-456")).willReturn(okJson("{}")));
        try (Connectors connectors = connectors("{type: bearer, token: \"${file:SECRETS:token}\"}")) {
            assertThat(getOrder(connectors, Instant.now().plusSeconds(10)).getStatus()).isEqualTo(BackendStatus.OK);
        }
    }

    @Test
    void basicCredentialsGoInTheAuthorizationHeader() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("parley:p-789".getBytes(StandardCharsets.UTF_8));
        shop.stubFor(get(urlPathMatching("/orders/.*")).withHeader("Authorization", equalTo(expected)).willReturn(okJson("{}")));
        try (Connectors connectors = connectors("{type: basic, username: parley, password: \"${file:SECRETS:password}\"}")) {
            assertThat(getOrder(connectors, Instant.now().plusSeconds(10)).getStatus()).isEqualTo(BackendStatus.OK);
        }
    }

    private String oauth2() {
        return "{type: oauth2, tokenUrl: \"" + shop.baseUrl() + "/oauth/token\", clientId: parley, "
                + "clientSecret: \"${file:SECRETS:clientSecret}\", scope: orders.read}";
    }

    private static void stubToken(String token, int expiresIn) {
        shop.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(okJson(
                "{\"access_token\": \"" + token + "\", \"token_type\": \"Bearer\", \"expires_in\": " + expiresIn + "}")));
    }

    @Test
    void anOAuth2TokenIsFetchedOnceAndReusedUntilItExpires() {
        ManualTime time = new ManualTime(Instant.now());
        stubToken("tok-1", 3600);
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{}")));
        try (Connectors connectors = connectors(oauth2(), Connectors.builder().timing(time.timing(0.5)))) {

            getOrder(connectors, time.instant().plusSeconds(10));
            getOrder(connectors, time.instant().plusSeconds(10));
            assertThat(shop.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")))).hasSize(1);

            time.advance(Duration.ofMinutes(60));
            getOrder(connectors, time.instant().plusSeconds(10));
            assertThat(shop.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")))).hasSize(2);
        }
        String clientAuth = "Basic " + Base64.getEncoder().encodeToString("parley:cs-000".getBytes(StandardCharsets.UTF_8));
        shop.verify(postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withHeader("Authorization", equalTo(clientAuth))
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("scope=orders.read")));
        assertThat(shop.findAll(getRequestedFor(urlPathMatching("/orders/.*"))))
                .hasSize(3)
                .allSatisfy(call -> assertThat(call.getHeader("Authorization")).isEqualTo("Bearer tok-1"));
    }

    @Test
    void a401MakesTheConnectorFetchAFreshTokenOnce() {
        shop.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario("rotation").whenScenarioStateIs("Started")
                .willReturn(okJson("{\"access_token\": \"revoked\", \"expires_in\": 3600}")).willSetStateTo("rotated"));
        shop.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario("rotation").whenScenarioStateIs("rotated")
                .willReturn(okJson("{\"access_token\": \"fresh\", \"expires_in\": 3600}")));
        shop.stubFor(get(urlPathMatching("/orders/.*")).withHeader("Authorization", equalTo("Bearer revoked"))
                .willReturn(aResponse().withStatus(401)));
        shop.stubFor(get(urlPathMatching("/orders/.*")).withHeader("Authorization", equalTo("Bearer fresh"))
                .willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        try (Connectors connectors = connectors(oauth2())) {

            BackendResponse response = getOrder(connectors, Instant.now().plusSeconds(10));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getAttempts()).isEqualTo(2);
        }
    }

    @Test
    void aBackendThatStillRefusesAfterOneRefreshIsUnauthorizedWithoutFurtherRetries() {
        stubToken("tok", 3600);
        shop.stubFor(get(urlPathMatching("/orders/.*")).willReturn(aResponse().withStatus(401)));
        try (Connectors connectors = connectors(oauth2())) {

            BackendResponse response = getOrder(connectors, Instant.now().plusSeconds(10));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.UNAUTHORIZED);
            assertThat(shop.findAll(getRequestedFor(urlPathMatching("/orders/.*")))).hasSize(2);
            assertThat(shop.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")))).hasSize(2);
        }
    }

    @Test
    void refusedClientCredentialsAreUnauthorizedAndTheBackendIsNotCalled() {
        shop.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(401)));
        try (Connectors connectors = connectors(oauth2())) {

            BackendResponse response = getOrder(connectors, Instant.now().plusSeconds(10));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.UNAUTHORIZED);
            assertThat(response.getError()).contains("token endpoint refused");
            assertThat(shop.findAll(getRequestedFor(urlPathMatching("/orders/.*")))).isEmpty();
            assertThat(shop.findAll(postRequestedFor(urlPathEqualTo("/oauth/token")))).hasSize(1);
        }
    }
}
