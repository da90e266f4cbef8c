package io.parley.processor.flow;

/**
 * A backend that names the intent of a message no rule matched (an NLU service or a language
 * model behind a connector). It is asked with the parameters {@code text}, {@code locale},
 * {@code channel} and {@code intents} (the known intent names, comma-separated) and answers
 * {@code {"intent": "<name>", "entities": {"<slot>": "<value>"}}}.
 *
 * @param connector the connector to call
 * @param operation the operation to call
 */
public record ClassifierDefinition(String connector, String operation) {
}
