package io.parley.worker.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.Operation;
import io.parley.worker.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A GraphQL operation ready to call: posts {@code {"query", "variables"}} and reads the answer.
 * An answer with a non-empty {@code errors} array is a {@code CLIENT_ERROR} carrying the first
 * error's message; otherwise {@code data} is mapped.
 */
final class GraphQlOperation implements Operation {

    private static final int MAX_MESSAGE_LENGTH = 200;

    private final GraphQlOperationDefinition definition;
    private final HttpTransport transport;
    private final URI endpoint;

    GraphQlOperation(GraphQlOperationDefinition definition, HttpTransport transport, URI endpoint) {
        this.definition = definition;
        this.transport = transport;
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public Optional<Duration> cacheTtl() {
        return definition.cacheTtl();
    }

    @Override
    public PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("query", definition.query());
        if (definition.variables().isPresent()) {
            body.set("variables", definition.variables().get().render(params));
        }
        definition.operationName().ifPresent(name -> body.put("operationName", name));
        HttpTransport.HttpCall call = new HttpTransport.HttpCall("POST", endpoint, Optional.of(JsonText.bytes(body)), requestId);
        return context -> transport.exchange(call, context, this::read);
    }

    private AttemptOutcome read(byte[] bytes) {
        JsonNode answer;
        try {
            answer = JsonText.read(bytes);
        } catch (IOException e) {
            return Failure.permanent(BackendStatus.REJECTED, "the response is not JSON");
        }
        JsonNode errors = answer.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            return Failure.permanent(BackendStatus.CLIENT_ERROR, "GraphQL error: " + message(errors.get(0)));
        }
        JsonNode data = answer.path("data");
        if (data.isMissingNode() || data.isNull()) {
            return Failure.permanent(BackendStatus.REJECTED, "the GraphQL response has no data");
        }
        return definition.response().apply(data);
    }

    /** The error's message, shortened and without control characters (it ends up in the response). */
    private static String message(JsonNode error) {
        String message = error.path("message").asText("(no message)").replaceAll("\\p{Cntrl}", " ");
        return message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) + "…" : message;
    }
}
