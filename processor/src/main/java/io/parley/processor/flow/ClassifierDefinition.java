package io.parley.processor.flow;

/**
 * A backend that names the intent of a message no rule matched (an NLU service or a language
 * model behind a connector). It is asked with the parameters {@code text}, {@code locale},
 * {@code channel}, {@code intents} (the known intent names, comma-separated) and {@code slots} (the
 * slot names of those intents, comma-separated) and answers
 * {@code {"intent": "<name>", "entities": {"<slot>": "<value>"}}}.
 *
 * @param connector the connector to call
 * @param operation the operation to call
 * @param askWhenUnsure whether it is also asked about messages the built-in classifier is unsure of
 *     (between {@code nlu.ask} and {@code nlu.accept}) instead of the "Did you mean" question
 */
public record ClassifierDefinition(String connector, String operation, boolean askWhenUnsure) {

    public static final String ASK_WHEN_UNSURE = "askWhenUnsure";

    /** A classifier asked only about messages nothing else understood. */
    public ClassifierDefinition(String connector, String operation) {
        this(connector, operation, false);
    }
}
