package io.parley.worker;

import io.parley.schemas.BackendRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Backend requests as the processor sends them, for tests. */
public final class TestRequests {

    private TestRequests() {
    }

    public static BackendRequest request(String connector, String operation, Map<String, String> params) {
        return request(connector, operation, params, Instant.now().plus(Duration.ofSeconds(10)));
    }

    public static BackendRequest request(String connector, String operation, Map<String, String> params, Instant deadline) {
        String requestId = "evt-" + UUID.randomUUID() + ":0:0";
        return BackendRequest.newBuilder()
                .setRequestId(requestId)
                .setConversationId("conv-" + UUID.randomUUID())
                .setUserId("alice")
                .setEventId("evt-1")
                .setConnector(connector)
                .setOperation(operation)
                .setParams(Map.copyOf(params))
                .setDeadline(deadline)
                .setAttempt(1)
                .setCreatedAt(Instant.now())
                .build();
    }
}
