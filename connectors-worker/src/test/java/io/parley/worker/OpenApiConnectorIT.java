package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.openapi.OpenApiImport;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connectors generated from OpenAPI documents call a stand-in of the API they describe. */
class OpenApiConnectorIT {

    @RegisterExtension
    static final WireMockExtension api = WireMocks.onLoopback();

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(OpenApiConnectorIT.class.getResource("/openapi/" + name).toURI());
    }

    private static Connectors generated(String document, String name) throws Exception {
        String yaml = OpenApiImport.generate(OpenApiImport.read(resource(document)), document,
                new OpenApiImport.Options(name, Optional.of(api.baseUrl() + "/v2"), Set.of())).yaml();
        String runnable = yaml
                .replaceAll("\\$\\{env:[A-Z_]+}", "\\${file:" + resource("secrets.properties") + ":secret}")
                .replace("https://auth.bookings.example/oauth/token", api.baseUrl() + "/oauth/token")
                // The stand-in listens on loopback, which connectors refuse unless told.
                .replace("    type: http\n", "    type: http\n    allowPrivateNetworks: true\n");
        return Connectors.builder().yaml(name + ".yaml", runnable).build();
    }

    @Test
    void theGeneratedInventoryConnectorSendsTheKeyThePathAndTheQuery() throws Exception {
        api.stubFor(get(urlPathEqualTo("/v2/items/MUG-01")).willReturn(okJson("{\"sku\":\"MUG-01\",\"available\":12}")));

        try (Connectors connectors = generated("inventory-3.0.yaml", "inventory")) {
            BackendResponse response = connectors.call(request("inventory", "getItem", Map.of("sku", "MUG-01", "warehouse", "north")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getResult()).isEqualTo("{\"sku\":\"MUG-01\",\"available\":12}");
        }
        api.verify(getRequestedFor(urlPathEqualTo("/v2/items/MUG-01"))
                .withQueryParam("warehouse", equalTo("north"))
                .withHeader("X-Inventory-Key", equalTo("test-secret-value")));
    }

    @Test
    void anAnswerThatBreaksTheDocumentsResponseSchemaIsInvalidResponse() throws Exception {
        // Given the stand-in answers 'available' as text, where the document's Item has an integer
        api.stubFor(get(urlPathEqualTo("/v2/items/MUG-02")).willReturn(okJson("{\"sku\":\"MUG-02\",\"available\":\"lots\"}")));

        try (Connectors connectors = generated("inventory-3.0.yaml", "inventory")) {
            BackendResponse response = connectors.call(request("inventory", "getItem", Map.of("sku", "MUG-02", "warehouse", "north")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).isEqualTo("the response does not match its schema: /available: type");
        }
    }

    @Test
    void theGeneratedBookingConnectorGetsATokenAndPostsTypedJson() throws Exception {
        api.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"t-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        api.stubFor(post(urlPathEqualTo("/v2/bookings")).willReturn(okJson("{\"bookingId\":\"b-77\"}").withStatus(201)));

        try (Connectors connectors = generated("bookings-3.1.json", "bookings")) {
            BackendResponse response = connectors.call(request("bookings", "createBooking", Map.of("restaurantId", "r-9",
                    "guests", "4", "time", "2026-12-24T19:30:00Z", "highChair", "true")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getResult()).isEqualTo("{\"bookingId\":\"b-77\"}");
        }
        api.verify(postRequestedFor(urlPathEqualTo("/v2/bookings"))
                .withHeader("Authorization", equalTo("Bearer t-1"))
                .withRequestBody(equalToJson("{\"restaurantId\":\"r-9\",\"guests\":4,\"time\":\"2026-12-24T19:30:00Z\",\"highChair\":true}")));
    }
}
