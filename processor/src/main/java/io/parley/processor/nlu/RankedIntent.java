package io.parley.processor.nlu;

/**
 * An intent and the classifier's confidence in it.
 *
 * @param intent the intent's name
 * @param confidence from 0 to 1; the confidences of all intents add up to 1
 */
public record RankedIntent(String intent, double confidence) {
}
