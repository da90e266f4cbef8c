package io.parley.worker.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.DefinedOperation;
import io.parley.worker.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A GraphQL operation ready to call: posts {@code {"query", "variables"}} and reads the answer.
 * An answer with a non-empty {@code errors} array, with a 2xx or an error status, is a failure
 * classified by the first error's code and carrying its (redacted) message ({@link GraphQlErrors});
 * otherwise {@code data} is mapped.
 */
final class GraphQlOperation extends DefinedOperation<GraphQlOperationDefinition> {

    private final HttpTransport transport;
    private final URI endpoint;

    GraphQlOperation(GraphQlOperationDefinition definition, HttpTransport transport, URI endpoint) {
        super(definition);
        this.transport = transport;
        this.endpoint = endpoint;
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
        return context -> transport.exchange(call, context, this::read, GraphQlOperation::readError);
    }

    private AttemptOutcome read(byte[] bytes) {
        JsonNode answer;
        try {
            answer = JsonText.read(bytes);
        } catch (IOException e) {
            return Failure.permanent(BackendStatus.REJECTED, "the response is not JSON");
        }
        Optional<Failure> failed = GraphQlErrors.failure(answer, Failure.permanent(BackendStatus.CLIENT_ERROR, "GraphQL error"));
        if (failed.isPresent()) {
            return failed.get();
        }
        JsonNode data = answer.path("data");
        if (data.isMissingNode() || data.isNull()) {
            return Failure.permanent(BackendStatus.REJECTED, "the GraphQL response has no data");
        }
        return definition.response().apply(data);
    }

    /** An error status whose body carries GraphQL errors says more than the status alone. */
    private static Failure readError(Failure byStatus, byte[] bytes) {
        try {
            return GraphQlErrors.failure(JsonText.read(bytes), byStatus).orElse(byStatus);
        } catch (IOException e) {
            return byStatus;
        }
    }
}
