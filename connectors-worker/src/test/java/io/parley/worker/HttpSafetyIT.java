package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a connector refuses to do, whatever the request or the backend says. */
class HttpSafetyIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @RegisterExtension
    static final WireMockExtension evil = WireMocks.onLoopback();

    private static Connectors connectors(String baseUrl, String extra) {
        return Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s/api
                    %s
                    retry: {maxAttempts: 1}
                    operations:
                      getOrder: {path: "/orders/{orderId}"}
                """.formatted(baseUrl, extra)).build();
    }

    @ParameterizedTest(name = "orderId = {0}")
    @ValueSource(strings = {"../admin", "@evil.example", "//evil.example", "1/../../admin", "http://evil.example/x", "a\r\nX-Injected: 1"})
    void hostileParametersReachOnlyTheirOwnPathSegmentOfTheConnectorsHost(String orderId) {
        shop.stubFor(any(anyUrl()).willReturn(okJson("{\"status\": \"x\"}")));
        try (Connectors connectors = connectors(shop.baseUrl(), "allowPrivateNetworks: true")) {

            connectors.call(request("shop-api", "getOrder", Map.of("orderId", orderId)));

            assertThat(shop.getAllServeEvents()).hasSize(1);
            ServeEvent served = shop.getAllServeEvents().get(0);
            String path = served.getRequest().getUrl();
            assertThat(path).startsWith("/api/orders/");
            assertThat(path.substring("/api/orders/".length())).doesNotContain("/", "?", "#");
            assertThat(served.getRequest().containsHeader("X-Injected")).isFalse();
            assertThat(evil.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void aRedirectToAnotherHostIsRefused() {
        shop.stubFor(get(urlPathEqualTo("/api/orders/1")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", evil.baseUrl() + "/steal")));
        evil.stubFor(any(anyUrl()).willReturn(okJson("{\"status\": \"stolen\"}")));
        try (Connectors connectors = connectors(shop.baseUrl(), "allowPrivateNetworks: true")) {

            BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
            assertThat(response.getError()).contains("redirect to another host");
            assertThat(evil.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void aRedirectWithinTheConnectorsOwnHostIsFollowed() {
        shop.stubFor(get(urlPathEqualTo("/api/orders/1")).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "/api/v2/orders/1")));
        shop.stubFor(get(urlPathEqualTo("/api/v2/orders/1")).willReturn(okJson("{\"status\": \"SHIPPED\"}")));
        try (Connectors connectors = connectors(shop.baseUrl(), "allowPrivateNetworks: true")) {

            BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getResult()).isEqualTo("{\"status\":\"SHIPPED\"}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:%d", "http://localhost:%d"})
    void aBackendOnALoopbackAddressIsRefusedUnlessPrivateNetworksAreAllowed(String url) {
        shop.stubFor(any(anyUrl()).willReturn(okJson("{\"status\": \"x\"}")));
        try (Connectors connectors = connectors(url.formatted(shop.getPort()), "")) {

            BackendResponse response = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "1")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
            assertThat(response.getError()).contains("allowPrivateNetworks");
            assertThat(response.getAttempts()).isZero();
            assertThat(shop.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void anAnswerLargerThanTheCapIsRejected() {
        String big = "{\"items\": \"" + "x".repeat(5_000) + "\"}";
        shop.stubFor(get(urlPathEqualTo("/api/orders/declared")).willReturn(okJson(big)));
        shop.stubFor(get(urlPathEqualTo("/api/orders/chunked")).willReturn(okJson(big).withChunkedDribbleDelay(5, 50)));
        try (Connectors connectors = connectors(shop.baseUrl(), "allowPrivateNetworks: true\n    maxResponseBytes: 1024")) {

            BackendResponse declared = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "declared")));
            BackendResponse chunked = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "chunked")));

            assertThat(declared.getStatus()).isEqualTo(BackendStatus.REJECTED);
            assertThat(declared.getError()).contains("larger than 1024 bytes");
            assertThat(chunked.getStatus()).isEqualTo(BackendStatus.REJECTED);
            assertThat(chunked.getError()).contains("larger than 1024 bytes");
        }
    }
}
