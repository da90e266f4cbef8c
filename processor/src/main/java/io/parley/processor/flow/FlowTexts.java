package io.parley.processor.flow;

/**
 * Messages that belong to no single intent. Each has a built-in English default and may be
 * set once across all flow files under {@code texts:}.
 *
 * @param noMatch the reply when no intent matches
 * @param cancelled the reply when the user cancels a question
 * @param gaveUp the reply when a question got too many invalid answers
 * @param error the reply when a turn fails inside Parley
 * @param erased the confirmation of an erase request
 * @param interim the default still-working message
 * @param fallback the default message at a deadline
 * @param backendError the default reply when a backend call failed and the intent has no error reply
 * @param didYouMean the question when the classifier is unsure between intents (their titles are the quick replies)
 * @param tooLarge the ERROR reply to a message with a field beyond the {@code inputs:} limits (rendered without the message)
 */
public record FlowTexts(Template noMatch, Template cancelled, Template gaveUp, Template error, Template erased,
                        Template interim, Template fallback, Template backendError, Template didYouMean, Template tooLarge) {
}
