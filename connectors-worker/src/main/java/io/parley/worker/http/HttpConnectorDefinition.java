package io.parley.worker.http;

import io.parley.worker.connector.OperationConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.OperationParameter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An {@code http} connector: a REST/JSON API. */
public record HttpConnectorDefinition(ConnectorSettings settings, HttpEndpoint endpoint,
                                      Map<String, HttpOperationDefinition> operations) implements OperationConnectorDefinition<HttpOperationDefinition> {

    @Override
    public Optional<List<OperationParameter>> parametersOf(HttpOperationDefinition definition) {
        Set<String> names = new LinkedHashSet<>(definition.url().parameters());
        definition.body().ifPresent(body -> names.addAll(body.parameters()));
        return Optional.of(names.stream().map(OperationParameter::string).toList());
    }
}
