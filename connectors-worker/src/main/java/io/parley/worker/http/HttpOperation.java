package io.parley.worker.http;

import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** An HTTP operation ready to call: fills its URL and body from the request and maps the JSON answer. */
final class HttpOperation implements Operation {

    private final HttpOperationDefinition definition;
    private final HttpTransport transport;

    HttpOperation(HttpOperationDefinition definition, HttpTransport transport) {
        this.definition = definition;
        this.transport = transport;
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
        URI uri = definition.url().render(params);
        Optional<byte[]> body = definition.body().isPresent()
                ? Optional.of(JsonText.bytes(definition.body().get().render(params)))
                : Optional.empty();
        HttpTransport.HttpCall call = new HttpTransport.HttpCall(definition.method(), uri, body, requestId);
        return context -> transport.exchange(call, context, definition.response()::applyJson);
    }
}
