package io.parley.worker.connector;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector made of named operations sharing one {@link CallPolicy} (breaker, limits, retries):
 * the part of every connector that does not depend on the protocol. It answers without calling
 * the backend when the operation is unknown, the deadline has passed, the parameters do not fit,
 * or a cached result is fresh. A plain name of a versioned operation calls its default version;
 * metrics, logs and the response name the version called ({@code getOrder@v2}).
 */
public final class OperationConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(OperationConnector.class);

    private final ConnectorSettings settings;
    private final Map<String, Operation> operations;
    private final Map<String, ResponseCache> caches;
    private final CallPolicy policy;
    private final ConnectorMetrics metrics;
    private final Clock clock;
    private final AutoCloseable resources;

    /**
     * @param resources closed with the connector (HTTP client, connection pool)
     */
    public OperationConnector(ConnectorSettings settings, Map<String, Operation> operations, ConnectorEnvironment environment,
                              AutoCloseable resources) {
        this.settings = settings;
        this.operations = Map.copyOf(operations);
        this.clock = environment.timing().clock();
        this.metrics = new ConnectorMetrics(environment.meters(), settings.name());
        this.policy = new CallPolicy(settings, environment.timing(), metrics);
        this.resources = resources;
        Map<String, ResponseCache> cachesByOperation = new LinkedHashMap<>();
        operations.forEach((name, operation) -> operation.cacheTtl().ifPresent(ttl ->
                cachesByOperation.put(name, new ResponseCache(ttl, clock))));
        this.caches = Map.copyOf(cachesByOperation);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public ConnectorType type() {
        return settings.type();
    }

    @Override
    public Set<String> operations() {
        Set<String> names = new LinkedHashSet<>(operations.keySet());
        names.addAll(settings.defaultVersions().keySet());
        return Set.copyOf(names);
    }

    @Override
    public BackendResponse call(BackendRequest request) {
        Instant started = clock.instant();
        String operationName = settings.resolve(request.getOperation());
        Operation operation = operations.get(operationName);
        if (operation == null) {
            LOG.warn("Request {} names operation '{}' that connector {} does not have", request.getRequestId(),
                    request.getOperation(), settings.name());
            metrics.countResponse("unknown", BackendStatus.REJECTED);
            return Responses.withoutCall(request, BackendStatus.REJECTED,
                    "unknown operation '" + request.getOperation() + "' of connector '" + settings.name() + "'", clock.instant());
        }
        if (!request.getDeadline().isAfter(started)) {
            metrics.recordCall(operationName, BackendStatus.TIMEOUT, Duration.ZERO);
            return named(Responses.withoutCall(request, BackendStatus.TIMEOUT, "the deadline passed before the call was made",
                    started), operationName);
        }
        Map<String, String> params = request.getParams();
        ResponseCache cache = caches.get(operationName);
        if (cache != null) {
            Optional<JsonNode> cached = cache.get(params);
            if (cached.isPresent()) {
                metrics.cacheHit(operationName);
                return answer(request, operationName, CallResult.ok(cached.get(), 0), started);
            }
            metrics.cacheMiss(operationName);
        }
        CallResult result;
        try {
            result = policy.execute(operationName, request.getDeadline(), operation.prepare(params, request.getRequestId()));
        } catch (InvalidRequestException e) {
            result = CallResult.failed(BackendStatus.REJECTED, e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = CallResult.failed(BackendStatus.TIMEOUT, "the call was interrupted (worker shutting down)", 0);
        }
        if (cache != null && result.status() == BackendStatus.OK) {
            cache.put(params, result.result().orElseThrow());
        }
        return answer(request, operationName, result, started);
    }

    private BackendResponse answer(BackendRequest request, String operation, CallResult result, Instant started) {
        Instant completed = clock.instant();
        Duration latency = Duration.between(started, completed);
        metrics.recordCall(operation, result.status(), latency);
        LOG.debug("{} {} request {}: {} after {} attempt(s) in {} ms", settings.name(), operation, request.getRequestId(),
                result.status(), result.attempts(), latency.toMillis());
        if (result.status() == BackendStatus.INVALID_RESPONSE) {
            metrics.invalidResponse(operation);
            // The error names pointers and keywords only, never values, so it may be logged.
            LOG.warn("{} {} request {}: {}", settings.name(), operation, request.getRequestId(), result.error().orElse(""));
        }
        return named(Responses.of(request, result, latency.toMillis(), completed), operation);
    }

    /** The answer names the operation called, with its version when the request named a versioned one plainly. */
    private static BackendResponse named(BackendResponse response, String operation) {
        response.setOperation(operation);
        return response;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            LOG.warn("Connector {} did not close cleanly ({})", settings.name(), e.getClass().getSimpleName());
        }
    }
}
