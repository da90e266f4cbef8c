package io.parley.processor.nlu;

import java.util.Map;

/**
 * One line of an NLU test set: a message and what it should be understood as.
 *
 * @param text the message
 * @param intent the intent it asks for
 * @param slots slot values it gives (only these are checked)
 */
public record NluTestCase(String text, String intent, Map<String, String> slots) {

    public NluTestCase {
        slots = Map.copyOf(slots);
    }
}
