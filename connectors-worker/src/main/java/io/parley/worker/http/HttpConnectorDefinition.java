package io.parley.worker.http;

import io.parley.worker.connector.ConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import java.util.Map;
import java.util.Set;

/** An {@code http} connector: a REST/JSON API. */
public record HttpConnectorDefinition(ConnectorSettings settings, HttpEndpoint endpoint,
                                      Map<String, HttpOperationDefinition> operations) implements ConnectorDefinition {

    @Override
    public Set<String> operationNames() {
        return operations.keySet();
    }
}
