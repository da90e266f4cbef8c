package io.parley.worker.http;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.worker.connector.Connector;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorKind;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.Operation;
import io.parley.worker.connector.OperationConnector;
import io.parley.worker.connector.OperationVersions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code http} connector type. */
public final class HttpConnectorKind implements ConnectorKind<HttpConnectorDefinition> {

    public static final String BASE_URL = "baseUrl";

    @Override
    public ConnectorType type() {
        return ConnectorType.HTTP;
    }

    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>(HttpEndpoint.KEYS);
        keys.add(BASE_URL);
        return keys;
    }

    @Override
    public HttpConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        HttpEndpoint endpoint = HttpEndpoint.from(connector, BASE_URL, variables);
        Map<String, HttpOperationDefinition> operations = new LinkedHashMap<>();
        OperationVersions.operations(connector).forEach((name, operation) ->
                operations.put(name, HttpOperationDefinition.from(name, operation, endpoint.url())));
        return new HttpConnectorDefinition(settings, endpoint, operations);
    }

    @Override
    public Connector create(HttpConnectorDefinition definition, ConnectorEnvironment environment) {
        HttpTransport transport = definition.endpoint().transport(definition.settings(), environment);
        Map<String, Operation> operations = new LinkedHashMap<>();
        definition.operations().forEach((name, operation) -> operations.put(name, new HttpOperation(operation, transport)));
        // The JDK 17 HttpClient holds no resources that need closing; the transport's call timer does.
        return new OperationConnector(definition.settings(), operations, environment, transport::close);
    }
}
