package io.parley.e2e.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The voucher-claim endpoint of the shop API, with the idempotency a third-party API offers to
 * at-least-once callers: the first request carrying an {@code Idempotency-Key} applies the claim
 * and its answer is stored; every later request with that key gets the stored answer and applies
 * nothing. A key reused for a different claim is refused (422), and a request without a key is
 * refused (400), as such APIs do.
 *
 * <p>The worker promises at-least-once delivery with the request id as the key; this is the other
 * half of the contract, and it counts what it did so the tests can check both halves.
 */
public final class IdempotentClaims implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "idempotent-claims";
    public static final String KEY_HEADER = "Idempotency-Key";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLAIM_PATH = Pattern.compile("/vouchers/([^/?]+)/claims");

    private final Map<String, Claim> claimsByKey = new ConcurrentHashMap<>();
    private final AtomicLong claimNumbers = new AtomicLong();

    /** A claim as applied once. */
    public record Claim(long claimNumber, String code, String customerId) {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        String key = request.getHeader(KEY_HEADER);
        if (key == null || key.isBlank()) {
            return error(400, "an Idempotency-Key header is required");
        }
        Matcher path = CLAIM_PATH.matcher(request.getUrl());
        String customerId = customerOf(request);
        if (!path.lookingAt() || customerId == null) {
            return error(400, "a claim needs a voucher code and a customerId");
        }
        String code = path.group(1);
        // computeIfAbsent runs the application at most once per key, even for concurrent deliveries.
        Claim claim = claimsByKey.computeIfAbsent(key, k -> {
            return new Claim(claimNumbers.incrementAndGet(), code, customerId);
        });
        if (!claim.code().equals(code) || !claim.customerId().equals(customerId)) {
            return error(422, "this Idempotency-Key was used for another claim");
        }
        return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                .withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(JSON.createObjectNode()
                        .put("claimNumber", claim.claimNumber())
                        .put("code", claim.code())
                        .put("customerId", claim.customerId())
                        .toString())
                .build();
    }

    private static String customerOf(LoggedRequest request) {
        try {
            JsonNode body = JSON.readTree(request.getBodyAsString());
            JsonNode customer = body == null ? null : body.get("customerId");
            return customer == null || !customer.isTextual() ? null : customer.asText();
        } catch (IOException e) {
            return null;
        }
    }

    private static ResponseDefinition error(int status, String message) {
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(JSON.createObjectNode().put("error", message).toString())
                .build();
    }

    /** The claims applied, by idempotency key. */
    public Map<String, Claim> claimsByKey() {
        return Map.copyOf(claimsByKey);
    }
}
