package io.parley.worker.connector;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.time.Instant;

/** Builds {@link BackendResponse}s answering a request. */
public final class Responses {

    private Responses() {
    }

    public static BackendResponse of(BackendRequest request, CallResult result, long latencyMs, Instant completedAt) {
        return BackendResponse.newBuilder()
                .setRequestId(request.getRequestId())
                .setConversationId(request.getConversationId())
                .setConnector(request.getConnector())
                .setOperation(request.getOperation())
                .setStatus(result.status())
                .setResult(result.result().map(JsonText::write).orElse(null))
                .setError(result.error().orElse(null))
                .setLatencyMs(latencyMs)
                .setAttempts(result.attempts())
                .setCompletedAt(completedAt)
                .build();
    }

    /**
     * The answer that replaces one too large for a response record: the same request, attempts and
     * latency, status {@code RESPONSE_TOO_LARGE}, no result.
     */
    public static BackendResponse tooLarge(BackendResponse response, String error) {
        return BackendResponse.newBuilder(response)
                .setStatus(BackendStatus.RESPONSE_TOO_LARGE)
                .setResult(null)
                .setError(error)
                .build();
    }

    /** An answer given without calling the backend. */
    public static BackendResponse withoutCall(BackendRequest request, BackendStatus status, String error, Instant completedAt) {
        return of(request, CallResult.failed(status, error, 0), 0, completedAt);
    }
}
