package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a backend answer too large for the worker's response record is answered by the worker
 * with status {@code RESPONSE_TOO_LARGE}. The processor treats it like a result too large to keep:
 * the intent's {@code RESPONSE_TOO_LARGE} error reply, else its default one.
 */
class WorkerResponseTooLargeTest {

    @Test
    void aWorkersResponseTooLargeStatusGetsTheIntentsResponseTooLargeReply() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/large-answers.yaml")) {
            // Given a turn waiting for two answers
            driver.say("compare");
            List<BackendRequest> calls = driver.requests();

            // When the worker answers both RESPONSE_TOO_LARGE (one failed call of two would be a partial answer)
            driver.answer(calls.get(0), BackendStatus.RESPONSE_TOO_LARGE, null);
            driver.answer(calls.get(1), BackendStatus.RESPONSE_TOO_LARGE, null);

            // Then the user gets the intent's reply for that failure
            assertThat(driver.reply().getText()).isEqualTo("That answer is too large for me to use.");
        }
    }

    @Test
    void withoutASpecificReplyTheDefaultBackendErrorReplyIsUsed() {
        try (ProcessorDriver driver = ProcessorDriver.withFlows("flows/large-answers.yaml")) {
            driver.say("dump");
            List<BackendRequest> calls = driver.requests();

            driver.answer(calls.get(0), BackendStatus.RESPONSE_TOO_LARGE, null);
            driver.answer(calls.get(1), BackendStatus.RESPONSE_TOO_LARGE, null);

            assertThat(driver.reply().getText())
                    .isEqualTo("Sorry, I couldn't get that information right now. Please try again later.");
        }
    }
}
