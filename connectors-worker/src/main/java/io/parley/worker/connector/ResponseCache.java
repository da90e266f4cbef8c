package io.parley.worker.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * OK results of one read-only operation, kept for a TTL (Caffeine). The key is every parameter of
 * the request, so a result is only ever served to a request asking exactly the same thing (the
 * user's id included, when the operation takes it).
 */
public final class ResponseCache {

    private static final long MAX_ENTRIES = 10_000;

    private final Cache<Map<String, String>, JsonNode> results;

    public ResponseCache(Duration ttl, Clock clock) {
        this.results = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(MAX_ENTRIES)
                // Expiry follows the injected clock, so tests control the TTL.
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    public Optional<JsonNode> get(Map<String, String> params) {
        return Optional.ofNullable(results.getIfPresent(key(params)));
    }

    public void put(Map<String, String> params, JsonNode result) {
        results.put(key(params), result);
    }

    private static Map<String, String> key(Map<String, String> params) {
        return Map.copyOf(params);
    }
}
