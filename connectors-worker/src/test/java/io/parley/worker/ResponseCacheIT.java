package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.ConnectorMetrics;
import io.parley.worker.connector.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResponseCacheIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    @Test
    void aCachedReadIsServedWithoutABackendCallWithinItsTtl() {
        ManualTime time = new ManualTime(Instant.now());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        shop.stubFor(get(urlPathMatching("/inventory/.*")).willReturn(okJson("{\"sku\": \"MUG-01\", \"quantity\": 12}")));
        try (Connectors connectors = Connectors.builder().timing(time.timing(0.5)).meterRegistry(meters).yaml("c.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %s
                    allowPrivateNetworks: true
                    operations:
                      getInventory: {path: "/inventory/{sku}", cacheTtl: 30s}
                """.formatted(shop.baseUrl())).build()) {

            BackendResponse first = connectors.call(request("shop-api", "getInventory", Map.of("sku", "MUG-01"),
                    time.instant().plusSeconds(10)));
            time.advance(Duration.ofSeconds(20));
            BackendResponse cached = connectors.call(request("shop-api", "getInventory", Map.of("sku", "MUG-01"),
                    time.instant().plusSeconds(10)));
            BackendResponse otherSku = connectors.call(request("shop-api", "getInventory", Map.of("sku", "TEA-02"),
                    time.instant().plusSeconds(10)));
            time.advance(Duration.ofSeconds(11));
            BackendResponse expired = connectors.call(request("shop-api", "getInventory", Map.of("sku", "MUG-01"),
                    time.instant().plusSeconds(10)));

            assertThat(first.getAttempts()).isEqualTo(1);
            assertThat(cached.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(cached.getResult()).isEqualTo(first.getResult());
            assertThat(cached.getAttempts()).isZero();
            assertThat(cached.getRequestId()).isNotEqualTo(first.getRequestId());
            assertThat(otherSku.getAttempts()).isEqualTo(1);
            assertThat(expired.getAttempts()).isEqualTo(1);
            assertThat(shop.findAll(getRequestedFor(urlPathMatching("/inventory/MUG-01")))).hasSize(2);
            assertThat(meters.get(ConnectorMetrics.CACHE_HITS).counter().count()).isEqualTo(1);
        }
    }
}
