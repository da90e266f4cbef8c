package io.parley.worker.http;

import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.OperationParameter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An {@code http} connector: a REST/JSON API. */
public record HttpConnectorDefinition(ConnectorSettings settings, HttpEndpoint endpoint,
                                      Map<String, HttpOperationDefinition> operations) implements ConnectorDefinition {

    @Override
    public Set<String> operationNames() {
        return operations.keySet();
    }

    @Override
    public Optional<List<OperationParameter>> parameters(String operation) {
        return Optional.ofNullable(operations.get(settings.resolve(operation))).map(definition -> {
            Set<String> names = new LinkedHashSet<>(definition.url().parameters());
            definition.body().ifPresent(body -> names.addAll(body.parameters()));
            return names.stream().map(OperationParameter::string).toList();
        });
    }
}
