package io.parley.worker.llm;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.config.ConfigSection;
import io.parley.worker.connector.ConnectorEnvironment;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.connector.ConnectorType;
import io.parley.worker.connector.OperationKind;
import io.parley.worker.http.HttpEndpoint;
import io.parley.worker.http.HttpTransport;
import java.net.URI;
import java.util.List;

/**
 * The {@code llm} connector type: a model behind the OpenAI-compatible chat-completions API
 * (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp server). {@code baseUrl} is the API's base
 * ({@code https://api.openai.com/v1}, {@code http://localhost:11434/v1}); calls go to
 * {@code baseUrl/chat/completions} through the {@code http} kind's transport, so credentials
 * ({@code auth: {type: bearer, token: ${env:...}}}), headers, TLS, proxy and the network guard work
 * the same way.
 */
public final class LlmConnectorKind extends OperationKind<LlmConnectorDefinition, LlmOperationDefinition> {

    public static final String BASE_URL = "baseUrl";
    public static final String MODEL = "model";
    public static final String TEMPERATURE = "temperature";

    static final String COMPLETIONS_PATH = "/chat/completions";

    @Override
    public ConnectorType type() {
        return ConnectorType.LLM;
    }

    @Override
    public List<String> keys() {
        return HttpEndpoint.keys(BASE_URL, MODEL, TEMPERATURE);
    }

    @Override
    public LlmConnectorDefinition parse(ConfigSection connector, ConnectorSettings settings, ConfigVariables variables) {
        HttpEndpoint endpoint = HttpEndpoint.from(connector, BASE_URL, variables);
        String model = connector.requiredString(MODEL).strip();
        if (model.isEmpty()) {
            throw connector.error(MODEL, "must name a model");
        }
        double temperature = connector.doubleValue(TEMPERATURE, 0.0, 0.0, 2.0);
        return new LlmConnectorDefinition(settings, endpoint, model, temperature,
                operations(connector, LlmOperationDefinition::from));
    }

    @Override
    protected Backend<LlmOperationDefinition> open(LlmConnectorDefinition definition, ConnectorEnvironment environment) {
        HttpTransport transport = definition.endpoint().transport(definition.settings(), environment);
        URI completions = URI.create(definition.endpoint().url().uri() + COMPLETIONS_PATH);
        ChatCompletions api = new ChatCompletions(transport, completions, definition.model(), definition.temperature());
        return new Backend<>(operation -> new LlmOperation(operation, api), transport::close);
    }
}
