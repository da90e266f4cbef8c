package io.parley.worker.http;

import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.DefinedOperation;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** An HTTP operation ready to call: fills its URL and body from the request and maps the JSON answer. */
final class HttpOperation extends DefinedOperation<HttpOperationDefinition> {

    private final HttpTransport transport;

    HttpOperation(HttpOperationDefinition definition, HttpTransport transport) {
        super(definition);
        this.transport = transport;
    }

    @Override
    public PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException {
        URI uri = definition.url().render(params);
        Optional<byte[]> body = definition.body().isPresent()
                ? Optional.of(JsonText.bytes(definition.body().get().render(params)))
                : Optional.empty();
        HttpTransport.HttpCall call = new HttpTransport.HttpCall(definition.method(), uri, body, requestId);
        return context -> transport.exchange(call, context, definition.response()::applyJson);
    }
}
