package io.parley.worker.llm;

import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.Operation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** An {@code llm} operation ready to call: builds the task's prompt from the request and checks the model's answer. */
final class LlmOperation implements Operation {

    private final LlmOperationDefinition definition;
    private final ChatCompletions api;

    LlmOperation(LlmOperationDefinition definition, ChatCompletions api) {
        this.definition = definition;
        this.api = api;
    }

    @Override
    public String name() {
        return definition.name();
    }

    /** Never cached: the same words may deserve a different answer once the flows or the model change. */
    @Override
    public Optional<Duration> cacheTtl() {
        return Optional.empty();
    }

    @Override
    public PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException {
        return switch (definition.task()) {
            case CLASSIFY -> ClassifyTask.of(params).call(api, definition, requestId);
            case PHRASE -> PhraseTask.of(params).call(api, definition, requestId);
        };
    }
}
