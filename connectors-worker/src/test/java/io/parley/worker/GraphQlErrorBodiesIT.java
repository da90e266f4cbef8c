package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GraphQL servers put their errors in 4xx bodies too: the answer is the GraphQL error, classified
 * by its code, with its message redacted and bounded, not a bare "HTTP 400". WireMock stands in
 * for the third-party GraphQL API.
 */
class GraphQlErrorBodiesIT {

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
                    retry: {maxAttempts: 3, initialBackoff: 10ms}
                    operations:
                      subscribe:
                        query: "mutation Subscribe($email: String!) { subscribe(email: $email) { id } }"
                        variables: {email: "{email}"}
                """.formatted(api.baseUrl())).build();
    }

    @AfterEach
    void closeConnectors() {
        connectors.close();
    }

    private BackendResponse answeredWith(int status, String body) {
        api.stubFor(post(urlPathEqualTo("/graphql")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
        return connectors.call(request("shop-graph", "subscribe", Map.of("email", "bob@example.com")));
    }

    @Test
    void aBadRequestWithGraphQlErrorsAnswersTheErrorWithoutTheValuesItQuotes() {
        BackendResponse response = answeredWith(400, """
                {"errors": [{"message": "Variable \\"$email\\" got invalid value \\"bob@example.com\\"; expected an address we serve",
                             "extensions": {"code": "BAD_USER_INPUT"}}]}""");

        assertThat(response.getStatus()).isEqualTo(BackendStatus.CLIENT_ERROR);
        assertThat(response.getError())
                .isEqualTo("GraphQL error (BAD_USER_INPUT): Variable \"$email\" got invalid value \"…\"; expected an address we serve");
        assertThat(response.getError()).doesNotContain("bob@example.com");
        assertThat(response.getAttempts()).isEqualTo(1);
    }

    @Test
    void anUnauthenticatedCodeIsUnauthorizedWhateverTheStatus() {
        BackendResponse in401 = answeredWith(401, """
                {"errors": [{"message": "The access token expired", "extensions": {"code": "UNAUTHENTICATED"}}]}""");
        BackendResponse in400 = answeredWith(400, """
                {"errors": [{"message": "Not allowed", "extensions": {"code": "access-denied"}}]}""");
        BackendResponse in200 = answeredWith(200, """
                {"data": null, "errors": [{"message": "Not allowed", "extensions": {"code": "FORBIDDEN"}}]}""");

        assertThat(in401.getStatus()).isEqualTo(BackendStatus.UNAUTHORIZED);
        assertThat(in401.getError()).isEqualTo("GraphQL error (UNAUTHENTICATED): The access token expired");
        assertThat(in400.getStatus()).isEqualTo(BackendStatus.UNAUTHORIZED);
        assertThat(in400.getError()).isEqualTo("GraphQL error (ACCESS_DENIED): Not allowed");
        assertThat(in200.getStatus()).isEqualTo(BackendStatus.UNAUTHORIZED);
    }

    @Test
    void anUnknownCodeKeepsWhatTheStatusMeansAndALongMessageIsBounded() {
        BackendResponse response = answeredWith(422, """
                {"errors": [{"message": "%s", "extensions": {"code": "SHOP_CLOSED"}}]}""".formatted("x".repeat(5000)));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.CLIENT_ERROR);
        assertThat(response.getError()).startsWith("GraphQL error (SHOP_CLOSED): xxx");
        assertThat(response.getError()).hasSizeLessThanOrEqualTo("GraphQL error (SHOP_CLOSED): ".length() + 201);
    }

    @Test
    void aQuotedValueCutOffByTheBoundIsLeftOutToo() {
        BackendResponse response = answeredWith(400, """
                {"errors": [{"message": "Bad value \\"token-%s\\"", "extensions": {"code": "BAD_USER_INPUT"}}]}"""
                .formatted("s".repeat(3000)));

        assertThat(response.getError()).isEqualTo("GraphQL error (BAD_USER_INPUT): Bad value \"…");
    }

    @Test
    void anErrorBodyThatIsNotGraphQlKeepsTheStatusText() {
        BackendResponse response = answeredWith(400, "<html>Bad Request</html>");

        assertThat(response.getStatus()).isEqualTo(BackendStatus.CLIENT_ERROR);
        assertThat(response.getError()).isEqualTo("the backend answered HTTP 400");
    }
}
