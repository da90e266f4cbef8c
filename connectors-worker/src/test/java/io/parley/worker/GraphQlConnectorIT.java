package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GraphQlConnectorIT {

    @RegisterExtension
    static final WireMockExtension api = WireMocks.onLoopback();

    private Connectors connectors;

    @BeforeEach
    void startConnectors() {
        connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: shop-graph
                    type: graphql
                    url: %s/graphql
                    allowPrivateNetworks: true
                    operations:
                      getOrder:
                        query: |
                          query Order($id: ID!, $limit: Int) { order(id: $id) { status items(first: $limit) { name } } }
                        variables: {id: "{orderId}", limit: "{limit:int}"}
                        response:
                          root: /order
                          required: [/status]
                """.formatted(api.baseUrl())).build();
    }

    @AfterEach
    void closeConnectors() {
        connectors.close();
    }

    private BackendResponse getOrder() {
        BackendRequest request = request("shop-graph", "getOrder", Map.of("orderId", "1001", "limit", "2"));
        return connectors.call(request);
    }

    @Test
    void theQueryAndItsVariablesArePostedAndDataIsMapped() {
        api.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson("""
                {"data": {"order": {"status": "SHIPPED", "items": [{"name": "Blue mug"}]}}}""")));

        BackendResponse response = getOrder();

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("{\"status\":\"SHIPPED\",\"items\":[{\"name\":\"Blue mug\"}]}");
        api.verify(postRequestedFor(urlPathEqualTo("/graphql"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"query": "query Order($id: ID!, $limit: Int) { order(id: $id) { status items(first: $limit) { name } } }\\n",
                         "variables": {"id": "1001", "limit": 2}}""")));
    }

    @Test
    void anErrorsArrayIsAClientErrorCarryingTheMessage() {
        api.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson("""
                {"data": null, "errors": [{"message": "Order 1001 is not visible to this client", "path": ["order"]}]}""")));

        BackendResponse response = getOrder();

        assertThat(response.getStatus()).isEqualTo(BackendStatus.CLIENT_ERROR);
        assertThat(response.getError()).isEqualTo("GraphQL error: Order 1001 is not visible to this client");
        assertThat(response.getAttempts()).isEqualTo(1);
    }

    @Test
    void dataWithoutARequiredFieldIsRejected() {
        api.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson("{\"data\": {\"order\": {\"items\": []}}}")));

        BackendResponse response = getOrder();

        assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(response.getError()).contains("/status");
    }
}
