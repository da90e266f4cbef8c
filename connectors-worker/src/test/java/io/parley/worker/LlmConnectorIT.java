package io.parley.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code llm} connector kind against a loopback server speaking the OpenAI chat-completions API,
 * with recorded answers: good ones, malformed JSON, schema violations, facts the results do not hold,
 * 429 with Retry-After, and a model too slow for the timeout.
 */
class LlmConnectorIT {

    private static final String COMPLETIONS = "/v1/chat/completions";
    private static final Map<String, String> CLASSIFY = Map.of(
            "text", "has my parcel for order 1001 left yet?",
            "intents", "orderStatus, trackShipment,cancelOrder",
            "slots", "orderId");

    @RegisterExtension
    static final WireMockExtension model = WireMocks.onLoopback();

    @TempDir
    static Path secretsDirectory;
    private static Path secrets;

    @BeforeAll
    static void apiKeyInASecretsFile() throws java.io.IOException {
        secrets = Files.writeString(secretsDirectory.resolve("llm.properties"), "apiKey=sk-test-key\n");
    }

    private static Connectors connectors(Connectors.Builder builder) {
        return builder.yaml("connectors.yaml", """
                connectors:
                  - name: assistant
                    type: llm
                    baseUrl: %s/v1
                    model: llama3.1
                    allowPrivateNetworks: true
                    auth: {type: bearer, token: "${file:%s:apiKey}"}
                    timeout: 1s
                    retry: {maxAttempts: 2, initialBackoff: 1ms}
                    operations:
                      classify: {task: classify, instructions: "The shop sells mugs."}
                      phrase: {task: phrase, maxTokens: 120}
                """.formatted(model.baseUrl(), secrets)).build();
    }

    private static Connectors connectors() {
        return connectors(Connectors.builder());
    }

    /** A chat-completions answer whose first choice says {@code content}. */
    private static String completion(String content) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode().put("id", "chatcmpl-1").put("object", "chat.completion");
        ObjectNode choice = answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        return JsonText.write(answer);
    }

    private static void answers(String content) {
        model.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(okJson(completion(content))));
    }

    private static JsonNode sentBody() throws java.io.IOException {
        return JsonText.read(model.getAllServeEvents().get(0).getRequest().getBody());
    }

    @Test
    void classifyAsksForTheAllowedIntentsAsAStrictJsonSchemaAndReturnsIntentAndSlots() throws Exception {
        // Given a model that picks an intent and fills the slot
        answers("{\"intent\": \"trackShipment\", \"slots\": {\"orderId\": \"1001\"}}");

        try (Connectors connectors = connectors()) {
            // When a request names the message, the allowed intents and the slots
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            // Then the answer is the intent and the slot
            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getResult()).isEqualTo("{\"intent\":\"trackShipment\",\"entities\":{\"orderId\":\"1001\"}}");
        }
        // And the call carried the key, the request id as idempotency key, and a schema limited to the allowed names
        model.verify(postRequestedFor(urlPathEqualTo(COMPLETIONS))
                .withHeader("Authorization", equalTo("Bearer sk-test-key"))
                .withHeader("Idempotency-Key", matchingJsonPathFree())
                .withRequestBody(matchingJsonPath("$.model", equalTo("llama3.1")))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true"))));
        JsonNode body = sentBody();
        assertThat(body.at("/response_format/json_schema/schema/properties/intent/enum").toString())
                .isEqualTo("[\"orderStatus\",\"trackShipment\",\"cancelOrder\",\"none\"]");
        assertThat(body.at("/response_format/json_schema/schema/properties/slots/required").toString()).isEqualTo("[\"orderId\"]");
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(body.at("/messages/0/content").asText()).endsWith("The shop sells mugs.");
        assertThat(body.at("/messages/1/content").asText()).isEqualTo("has my parcel for order 1001 left yet?");
        assertThat(body.at("/temperature").asDouble()).isZero();
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern matchingJsonPathFree() {
        return com.github.tomakehurst.wiremock.client.WireMock.matching("evt-.+:0:0");
    }

    @Test
    void aSlotValueTheMessageDoesNotContainIsDropped() {
        // Given a model that invents an order number
        answers("{\"intent\": \"orderStatus\", \"slots\": {\"orderId\": \"9999\"}}");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            // Then the intent stays, the invented value does not
            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getResult()).isEqualTo("{\"intent\":\"orderStatus\",\"entities\":{}}");
        }
    }

    @Test
    void anAnswerInACodeFenceIsRead() {
        answers("```json\n{\"intent\": \"none\", \"slots\": {\"orderId\": null}}\n```");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getResult()).isEqualTo("{\"intent\":\"none\",\"entities\":{}}");
        }
    }

    @Test
    void malformedJsonFromTheModelIsAnInvalidResponseNotRetried() {
        answers("{\"intent\": \"orderStatus\", \"slots\": {");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).isEqualTo("the model's answer is not JSON");
            assertThat(response.getAttempts()).isEqualTo(1);
        }
    }

    @Test
    void anIntentOutsideTheAllowedListIsAnInvalidResponseNamingTheFieldNotTheValue() {
        answers("{\"intent\": \"refundEverything\", \"slots\": {\"orderId\": \"1001\"}}");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).startsWith("the model's answer does not match the schema: ").contains("/intent")
                    .doesNotContain("refundEverything");
        }
    }

    @Test
    void anExtraSlotIsASchemaViolation() {
        answers("{\"intent\": \"orderStatus\", \"slots\": {\"orderId\": \"1001\", \"creditCard\": \"4111\"}}");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).doesNotContain("4111");
        }
    }

    @Test
    void anAnswerThatIsNotAChatCompletionIsAnInvalidResponse() {
        model.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(okJson("{\"object\": \"list\", \"data\": []}")));

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).isEqualTo("the model API's answer has no choices");
        }
    }

    @Test
    void anAnswerCutOffAtTheTokenLimitIsAnInvalidResponse() {
        model.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(okJson("""
                {"choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": "{\\"intent\\": \\"ord"}}]}""")));

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).contains("token limit");
        }
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheWaitTheApiAsksFor() {
        // Given a model API that is busy once and asks for 7 seconds
        model.stubFor(post(urlPathEqualTo(COMPLETIONS)).inScenario("busy").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                        .withBody("{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"requests\"}}"))
                .willSetStateTo("calm"));
        model.stubFor(post(urlPathEqualTo(COMPLETIONS)).inScenario("busy").whenScenarioStateIs("calm")
                .willReturn(okJson(completion("{\"intent\": \"orderStatus\", \"slots\": {\"orderId\": \"1001\"}}"))));
        ManualTime time = new ManualTime(Instant.now());

        try (Connectors connectors = connectors(Connectors.builder().timing(time.timing(0.5)))) {
            // When classifying
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY,
                    time.instant().plusSeconds(30)));

            // Then the second attempt came after the wait asked for, and answered
            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(response.getAttempts()).isEqualTo(2);
            assertThat(time.pauses()).contains(Duration.ofSeconds(7));
        }
    }

    @Test
    void aModelSlowerThanTheTimeoutIsATimeout() {
        model.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(okJson(completion("{}")).withFixedDelay(3_000)));

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", CLASSIFY));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.TIMEOUT);
        }
    }

    @Test
    void aRequestWithoutAllowedIntentsIsRejectedWithoutCallingTheModel() {
        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "classify", Map.of("text", "hello")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
            assertThat(response.getError()).contains("'intents'");
            assertThat(response.getAttempts()).isZero();
        }
        assertThat(model.getAllServeEvents()).isEmpty();
    }

    private static final Map<String, String> PHRASE = Map.of(
            "message", "where is my order 1001?",
            "results", "{\"orderId\": \"ORD-1001\", \"status\": \"SHIPPED\", \"total\": 12.50, \"eta\": \"2026-12-07\", \"carrier\": \"DHL\"}");

    @Test
    void phraseReturnsAReplyThatUsesOnlyFactsFromTheResults() throws Exception {
        answers("Your order ORD-1001 has shipped with \"DHL\" and should arrive on 2026-12-07; the total was 12.5.");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "phrase", PHRASE));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.OK);
            assertThat(JsonText.read(response.getResult().getBytes(StandardCharsets.UTF_8)).path("reply").asText())
                    .startsWith("Your order ORD-1001 has shipped");
        }
        JsonNode body = sentBody();
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.at("/max_tokens").asInt()).isEqualTo(120);
        assertThat(body.at("/messages/1/content").asText()).contains("where is my order 1001?").contains("\"carrier\":\"DHL\"");
    }

    @Test
    void aReplyWithANumberTheResultsDoNotHoldIsAnInvalidResponse() {
        // Given a model that makes up a delivery time
        answers("Your order has shipped and will arrive in 3 days.");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "phrase", PHRASE));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).isEqualTo("the reply states a number that is not in the results");
            assertThat(response.getResult()).isNull();
        }
    }

    @Test
    void aReplyQuotingAValueTheResultsDoNotHoldIsAnInvalidResponse() {
        answers("Your order has shipped with \"UPS Express\".");

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "phrase", PHRASE));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
            assertThat(response.getError()).isEqualTo("the reply quotes a value that is not in the results");
        }
    }

    @Test
    void aServerErrorIsRetriedThenReported() {
        model.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(aResponse().withStatus(503)));

        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "phrase", PHRASE));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
            assertThat(response.getAttempts()).isEqualTo(2);
        }
        assertThat(model.getAllServeEvents()).hasSize(2);
    }

    @Test
    void phraseResultsThatAreNotJsonAreRejected() {
        try (Connectors connectors = connectors()) {
            BackendResponse response = connectors.call(request("assistant", "phrase", Map.of("results", "status: shipped")));

            assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
            assertThat(response.getError()).isEqualTo("the parameter 'results' is not JSON");
        }
        assertThat(List.copyOf(model.getAllServeEvents())).isEmpty();
    }
}
