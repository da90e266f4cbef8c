package io.parley.worker.llm;

import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.DefinedOperation;
import java.util.Map;

/** An {@code llm} operation ready to call: builds the task's prompt from the request and checks the model's answer. */
final class LlmOperation extends DefinedOperation<LlmOperationDefinition> {

    private final ChatCompletions api;

    LlmOperation(LlmOperationDefinition definition, ChatCompletions api) {
        super(definition);
        this.api = api;
    }

    @Override
    public PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException {
        return switch (definition.task()) {
            case CLASSIFY -> ClassifyTask.of(params).call(api, definition, requestId);
            case PHRASE -> PhraseTask.of(params).call(api, definition, requestId);
        };
    }
}
