package io.parley.worker.llm;

import io.parley.worker.connector.OperationDefinition;
import io.parley.runtime.config.ConfigSection;
import java.util.Optional;

/**
 * One operation of an {@code llm} connector. Never cached ({@link #cacheTtl()} is empty): the same words may
 * deserve a different answer once the flows or the model change.
 *
 * @param name the name requests use
 * @param task what the model is asked to do
 * @param instructions extra system instructions (the bot's domain, tone), added after the built-in ones
 * @param maxTokens the longest answer asked for, when set
 */
public record LlmOperationDefinition(String name, LlmTask task, Optional<String> instructions, Optional<Integer> maxTokens)
        implements OperationDefinition {

    public static final String TASK = "task";
    public static final String INSTRUCTIONS = "instructions";
    public static final String MAX_TOKENS = "maxTokens";

    public static LlmOperationDefinition from(String name, ConfigSection operation) {
        operation.allowOnly(TASK, INSTRUCTIONS, MAX_TOKENS);
        LlmTask task = operation.enumValue(TASK, LlmTask.class)
                .orElseThrow(() -> operation.error(TASK, "is required (classify or phrase)"));
        Optional<Integer> maxTokens = operation.has(MAX_TOKENS)
                ? Optional.of(operation.intValue(MAX_TOKENS, 0, 1, 100_000))
                : Optional.empty();
        Optional<String> instructions = operation.string(INSTRUCTIONS).map(String::strip).filter(text -> !text.isEmpty());
        return new LlmOperationDefinition(name, task, instructions, maxTokens);
    }
}
