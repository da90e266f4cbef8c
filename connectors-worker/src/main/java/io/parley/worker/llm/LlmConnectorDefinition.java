package io.parley.worker.llm;

import io.parley.worker.connector.OperationConnectorDefinition;
import io.parley.worker.connector.ConnectorSettings;
import io.parley.worker.http.HttpEndpoint;
import io.parley.worker.connector.OperationParameter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code llm} connector: one OpenAI-compatible chat-completions endpoint and the model asked.
 *
 * @param endpoint the API's base URL ({@code .../v1}), credentials, headers, TLS and proxy, as for {@code http}
 * @param model the model name sent with every call
 * @param temperature the sampling temperature (0 by default: the most repeatable answers)
 */
public record LlmConnectorDefinition(ConnectorSettings settings, HttpEndpoint endpoint, String model, double temperature,
                                     Map<String, LlmOperationDefinition> operations) implements OperationConnectorDefinition<LlmOperationDefinition> {

    @Override
    public Optional<List<OperationParameter>> parametersOf(LlmOperationDefinition definition) {
        return Optional.of(switch (definition.task()) {
            case CLASSIFY -> List.of(OperationParameter.string(ClassifyTask.TEXT), OperationParameter.string(ClassifyTask.INTENTS),
                    new OperationParameter(ClassifyTask.SLOTS, "string", false));
            case PHRASE -> List.of(OperationParameter.string(PhraseTask.RESULTS),
                    new OperationParameter(PhraseTask.MESSAGE, "string", false));
        });
    }
}
