package io.parley.processor.flow;

import java.util.Map;

/**
 * An intent recognised in a message, with the slot values the message itself gave.
 *
 * @param intent the intent
 * @param slots slot values taken from the message (named groups of the matching pattern)
 * @param matchedBy how the intent was recognised: {@code keyword}, {@code pattern}, {@code postback} or {@code classifier}
 */
public record IntentMatch(IntentDefinition intent, Map<String, String> slots, String matchedBy) {

    public IntentMatch {
        slots = Map.copyOf(slots);
    }
}
