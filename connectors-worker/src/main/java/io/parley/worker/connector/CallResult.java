package io.parley.worker.connector;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.schemas.BackendStatus;
import java.util.Optional;

/**
 * The end of a call, after all attempts.
 *
 * @param status how it ended
 * @param result the mapped answer when {@code status} is OK
 * @param error what went wrong otherwise (no secrets, no response bodies)
 * @param attempts how many requests reached the backend
 */
public record CallResult(BackendStatus status, Optional<JsonNode> result, Optional<String> error, int attempts) {

    public static CallResult ok(JsonNode result, int attempts) {
        return new CallResult(BackendStatus.OK, Optional.of(result), Optional.empty(), attempts);
    }

    public static CallResult failed(BackendStatus status, String error, int attempts) {
        return new CallResult(status, Optional.empty(), Optional.of(error), attempts);
    }
}
