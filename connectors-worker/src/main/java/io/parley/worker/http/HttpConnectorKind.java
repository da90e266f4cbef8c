package io.parley.worker.http;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.config.ConfigSection;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.OperationKind;
import java.util.List;

/** The {@code http} connector type. */
public final class HttpConnectorKind extends OperationKind<HttpConnectorDefinition, HttpOperationDefinition> {

    public static final String BASE_URL = "baseUrl";

    @Override
    public ConnectorType type() {
        return ConnectorType.HTTP;
    }

    @Override
    public List<String> keys() {
        return HttpEndpoint.keys(BASE_URL);
    }

    @Override
    public HttpConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        HttpEndpoint endpoint = HttpEndpoint.from(connector, BASE_URL, variables);
        return new HttpConnectorDefinition(settings, endpoint,
                operations(connector, (name, operation) -> HttpOperationDefinition.from(name, operation, endpoint.url())));
    }

    @Override
    protected Backend<HttpOperationDefinition> open(HttpConnectorDefinition definition, ConnectorEnvironment environment) {
        HttpTransport transport = definition.endpoint().transport(definition.settings(), environment);
        // The JDK 17 HttpClient holds no resources that need closing; the transport's call timer does.
        return new Backend<>(operation -> new HttpOperation(operation, transport), transport::close);
    }
}
