package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a worker answers {@code INVALID_RESPONSE} when a backend's answer breaks the operation's
 * response schema; the user gets the intent's template for it and the audit names the violations.
 * A flow pins an operation's version by writing it ({@code getOrder@v2}).
 */
class ContractsTest {

    private static BackendResponse answer(BackendRequest request, String operation, BackendStatus status, String result,
                                          String error) {
        return BackendResponse.newBuilder()
                .setRequestId(request.getRequestId())
                .setConversationId(request.getConversationId())
                .setConnector(request.getConnector())
                .setOperation(operation)
                .setStatus(status)
                .setResult(result)
                .setError(error)
                .setLatencyMs(12)
                .setAttempts(1)
                .setCompletedAt(Instant.parse("2026-12-04T08:00:00Z"))
                .build();
    }

    @Test
    void anInvalidResponseGetsItsTemplateAndAnAuditRecordNamingTheViolations() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/contracts.yaml")) {
            // Given a turn that called the pinned version
            driver.say("track");
            BackendRequest call = driver.requests().get(0);
            assertThat(call.getOperation()).isEqualTo("getOrder@v2");
            driver.audit();

            // When the worker answers that the backend broke the contract
            driver.respond(answer(call, "getOrder@v2", BackendStatus.INVALID_RESPONSE, null,
                    "the response does not match its schema: /status: enum; /items/0/price: type"));

            // Then the user gets the intent's INVALID_RESPONSE reply, and the audit says what was wrong
            assertThat(driver.reply().getText())
                    .isEqualTo("The order service answered in a way I can't read; the team has been told.");
            AuditEvent response = driver.audit().stream().filter(a -> a.getKind() == AuditKind.BACKEND_RESPONSE)
                    .findFirst().orElseThrow();
            assertThat(response.getStatus()).isEqualTo("INVALID_RESPONSE");
            assertThat(response.getOperation()).isEqualTo("getOrder@v2");
            assertThat(response.getAttributes())
                    .containsEntry("violations", "the response does not match its schema: /status: enum; /items/0/price: type")
                    .doesNotContainKey("calledOperation");
        }
    }

    @Test
    void withoutASpecificTemplateAnInvalidResponseGetsTheDefaultErrorReply() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/contracts.yaml")) {
            driver.say("status");
            BackendRequest call = driver.requests().get(0);

            driver.respond(answer(call, "getOrder@v1", BackendStatus.INVALID_RESPONSE, null,
                    "the response does not match its schema: /: required (status)"));

            assertThat(driver.reply().getText())
                    .isEqualTo("Sorry, I couldn't get that information right now. Please try again later.");
        }
    }

    @Test
    void thePlainNameOfAVersionedOperationIsAuditedWithTheVersionTheWorkerCalled() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/contracts.yaml")) {
            // Given a flow that names getOrder without a version
            driver.say("status");
            BackendRequest call = driver.requests().get(0);
            assertThat(call.getOperation()).isEqualTo("getOrder");
            driver.audit();

            // When the worker called the default version
            driver.respond(answer(call, "getOrder@v1", BackendStatus.OK, "{\"status\":\"SHIPPED\"}", null));

            // Then the reply is as usual and the audit names the version called
            assertThat(driver.reply().getText()).isEqualTo("Your order is SHIPPED.");
            AuditEvent response = driver.audit().stream().filter(a -> a.getKind() == AuditKind.BACKEND_RESPONSE)
                    .findFirst().orElseThrow();
            assertThat(response.getOperation()).isEqualTo("getOrder");
            assertThat(response.getAttributes()).containsEntry("calledOperation", "getOrder@v1").doesNotContainKey("violations");
        }
    }
}
