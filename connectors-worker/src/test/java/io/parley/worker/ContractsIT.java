package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.ConnectorMetrics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Response contracts and operation versions through real connectors: http and graphql against a
 * WireMock stand-in, jdbc against an in-memory H2 database.
 */
class ContractsIT {

    @RegisterExtension
    static final WireMockExtension shop = WireMocks.onLoopback();

    private static final String ORDER_SCHEMA = """
            {type: object, required: [orderId, status], properties: {orderId: {type: string}, status: {enum: [NEW, SHIPPED]}}}""";

    private final String url = "jdbc:h2:mem:contracts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Connection keepAlive;
    private Connectors connectors;

    @BeforeEach
    void start() throws Exception {
        keepAlive = DriverManager.getConnection(url);
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("CREATE TABLE customers (id VARCHAR(20) PRIMARY KEY, name VARCHAR(50), tier VARCHAR(10))");
            statement.execute("INSERT INTO customers VALUES ('alice', 'Alice', 'gold'), ('bob', 'Bob', 'platinum')");
        }
        connectors = Connectors.builder().meterRegistry(meters).yaml("connectors.yaml", """
                connectors:
                  - name: shop-api
                    type: http
                    baseUrl: %1$s
                    allowPrivateNetworks: true
                    retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 20ms}
                    operations:
                      getOrder:
                        default: v1
                        versions:
                          v1:
                            path: /v1/orders/{orderId}
                            response: {schema: %2$s}
                          v2:
                            path: /v2/orders/{orderId}
                            response:
                              root: /order
                              schema: {type: object, required: [order], properties: {order: %2$s}}
                  - name: shop-graph
                    type: graphql
                    url: %1$s/graphql
                    allowPrivateNetworks: true
                    operations:
                      order:
                        query: "query Order($id: ID!) { order(id: $id) { orderId status } }"
                        variables: {id: "{orderId}"}
                        response:
                          root: /order
                          schema: {type: object, required: [order], properties: {order: %2$s}}
                  - name: shop-db
                    type: jdbc
                    jdbcUrl: "%3$s"
                    operations:
                      getCustomer:
                        sql: SELECT id, name, tier FROM customers WHERE id = :customerId
                        result: row
                        response:
                          fields: {tier: /tier}
                          schema: {type: object, properties: {tier: {enum: [silver, gold]}}}
                """.formatted(shop.baseUrl(), ORDER_SCHEMA.replace("\n", " "), url)).build();
    }

    @AfterEach
    void stop() throws Exception {
        connectors.close();
        keepAlive.close();
    }

    private double invalid(String connector, String operation) {
        var counter = meters.find(ConnectorMetrics.INVALID_RESPONSES).tags("connector", connector, "operation", operation).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anHttpAnswerThatBreaksTheSchemaIsInvalidResponseAndNotRetried() {
        // Given a backend whose status is not one the contract knows
        shop.stubFor(get(urlPathEqualTo("/v1/orders/A-1")).willReturn(okJson("""
                {"orderId": "A-1", "status": "alice@example.com"}""")));

        // When
        BackendResponse response = connectors.call(request("shop-api", "getOrder@v1", Map.of("orderId", "A-1")));

        // Then
        assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
        assertThat(response.getError()).isEqualTo("the response does not match its schema: /status: enum");
        assertThat(response.getResult()).isNull();
        assertThat(response.getAttempts()).isEqualTo(1);
        shop.verify(1, getRequestedFor(urlPathEqualTo("/v1/orders/A-1")));
        assertThat(invalid("shop-api", "getOrder@v1")).isEqualTo(1.0);
    }

    @Test
    void aMatchingAnswerIsMappedAsBefore() {
        shop.stubFor(get(urlPathEqualTo("/v2/orders/A-2")).willReturn(okJson("""
                {"order": {"orderId": "A-2", "status": "SHIPPED"}}""")));

        BackendResponse response = connectors.call(request("shop-api", "getOrder@v2", Map.of("orderId", "A-2")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(response.getResult()).isEqualTo("{\"orderId\":\"A-2\",\"status\":\"SHIPPED\"}");
        assertThat(invalid("shop-api", "getOrder@v2")).isZero();
    }

    @Test
    void theRawAnswerIsCheckedBeforeMapping() {
        // Given a v2 answer without the wrapper the schema requires (the mapping's root would be missing too)
        shop.stubFor(get(urlPathEqualTo("/v2/orders/A-3")).willReturn(okJson("""
                {"orderId": "A-3", "status": "NEW"}""")));

        BackendResponse response = connectors.call(request("shop-api", "getOrder@v2", Map.of("orderId", "A-3")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
        assertThat(response.getError()).isEqualTo("the response does not match its schema: /: required (order)");
    }

    @Test
    void graphQlDataIsCheckedAgainstTheSchema() {
        shop.stubFor(post(urlPathEqualTo("/graphql")).willReturn(okJson("""
                {"data": {"order": {"orderId": 17, "status": "NEW"}}}""")));

        BackendResponse response = connectors.call(request("shop-graph", "order", Map.of("orderId", "17")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
        assertThat(response.getError()).isEqualTo("the response does not match its schema: /order/orderId: type");
        assertThat(invalid("shop-graph", "order")).isEqualTo(1.0);
    }

    @Test
    void sqlRowsAreCheckedAgainstTheSchema() {
        assertThat(connectors.call(request("shop-db", "getCustomer", Map.of("customerId", "alice"))).getStatus())
                .isEqualTo(BackendStatus.OK);

        BackendResponse response = connectors.call(request("shop-db", "getCustomer", Map.of("customerId", "bob")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
        assertThat(response.getError()).isEqualTo("the response does not match its schema: /tier: enum").doesNotContain("platinum");
    }

    @Test
    void aPinnedVersionCallsItsOwnEndpointAndIsNamedInTheAnswerAndMetrics() {
        // Given both API versions
        shop.stubFor(get(urlPathEqualTo("/v1/orders/B-1")).willReturn(okJson("{\"orderId\": \"B-1\", \"status\": \"NEW\"}")));
        shop.stubFor(get(urlPathEqualTo("/v2/orders/B-1")).willReturn(okJson("{\"order\": {\"orderId\": \"B-1\", \"status\": \"SHIPPED\"}}")));

        // When a flow pins v2, and another names the operation plainly
        BackendResponse pinned = connectors.call(request("shop-api", "getOrder@v2", Map.of("orderId", "B-1")));
        BackendResponse plain = connectors.call(request("shop-api", "getOrder", Map.of("orderId", "B-1")));

        // Then the pinned call reached v2, the plain one the default v1, and both answers say which
        assertThat(pinned.getResult()).contains("SHIPPED");
        assertThat(pinned.getOperation()).isEqualTo("getOrder@v2");
        assertThat(plain.getResult()).contains("NEW");
        assertThat(plain.getOperation()).isEqualTo("getOrder@v1");
        shop.verify(1, getRequestedFor(urlPathEqualTo("/v1/orders/B-1")));
        shop.verify(1, getRequestedFor(urlPathEqualTo("/v2/orders/B-1")));
        assertThat(meters.find(ConnectorMetrics.RESPONSES).tags("connector", "shop-api", "operation", "getOrder@v1", "status", "OK")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.find(ConnectorMetrics.RESPONSES).tags("connector", "shop-api", "operation", "getOrder@v2", "status", "OK")
                .counter().count()).isEqualTo(1.0);
        assertThat(connectors.connector("shop-api").orElseThrow().operations())
                .containsExactlyInAnyOrder("getOrder", "getOrder@v1", "getOrder@v2");
    }

    @Test
    void anUnknownVersionIsRejectedWithoutACall() {
        BackendResponse response = connectors.call(request("shop-api", "getOrder@v3", Map.of("orderId", "C-1")));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(response.getError()).isEqualTo("unknown operation 'getOrder@v3' of connector 'shop-api'");
        assertThat(response.getAttempts()).isZero();
    }

    @Test
    void versionsNeedANamedDefaultThatExists() {
        String noDefault = """
                connectors:
                  - name: a
                    type: http
                    baseUrl: https://a.example
                    operations:
                      getOrder:
                        versions: {v1: {path: /v1/o}, v2: {path: /v2/o}}
                """;
        assertThatThrownBy(() -> Connectors.builder().yaml("c.yaml", noDefault).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("c.yaml: connectors[a].operations[getOrder].default: is required with versions: name the version a call"
                        + " without @version gets (one of [v1, v2])");
        assertThatThrownBy(() -> Connectors.builder().yaml("c.yaml", noDefault.replace("versions:", "default: v3\n        versions:"))
                .build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("c.yaml: connectors[a].operations[getOrder].default: 'v3' is not one of the versions [v1, v2]");
        assertThatThrownBy(() -> Connectors.builder().yaml("c.yaml", noDefault.replace("getOrder:", "getOrder@v1:")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.yaml: connectors[a].operations[getOrder@v1]: 'getOrder@v1' is not a valid operation name");
        assertThatThrownBy(() -> Connectors.builder().yaml("c.yaml", noDefault.replace("versions:", "path: /o\n        versions:"))
                .build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.yaml: connectors[a].operations[getOrder].path: unknown key");
    }
}
