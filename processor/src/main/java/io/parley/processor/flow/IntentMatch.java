package io.parley.processor.flow;

import java.util.Map;

/**
 * An intent recognised in a message, with the slot values the message itself gave.
 *
 * @param intent the intent
 * @param slots slot values taken from the message (named groups of the matching pattern)
 * @param matchedBy how the intent was recognised: {@code keyword}, {@code pattern}, {@code title},
 *     {@code postback}, {@code classifier} (the built-in example classifier) or {@code llm} (a classifier
 *     connector, usually an LLM; earlier versions wrote {@code classifier} for both)
 * @param evidence what the recognition rests on, for the audit (the classifier's model and top intents)
 */
public record IntentMatch(IntentDefinition intent, Map<String, String> slots, String matchedBy, Map<String, String> evidence) {

    /** {@code matchedBy} of an intent named by a classifier connector (an LLM), as opposed to the built-in {@code classifier}. */
    public static final String BY_LLM = "llm";

    public IntentMatch {
        slots = Map.copyOf(slots);
        evidence = Map.copyOf(evidence);
    }

    public IntentMatch(IntentDefinition intent, Map<String, String> slots, String matchedBy) {
        this(intent, slots, matchedBy, Map.of());
    }
}
