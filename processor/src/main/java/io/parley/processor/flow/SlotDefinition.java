package io.parley.processor.flow;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A detail an intent needs before it can call backends, such as an order number.
 *
 * @param name the slot's name, used as {@code {{slots.<name>}}} in templates
 * @param prompt the question asked when the slot is missing
 * @param pattern what a valid value looks like (the whole answer must match); empty accepts anything
 * @param invalid the message sent when an answer does not match, before asking again
 * @param retries how many invalid answers are re-prompted before the intent is given up
 */
public record SlotDefinition(String name, Template prompt, Optional<Pattern> pattern, Template invalid, int retries) {

    /** Whether the value is acceptable for this slot. */
    public boolean accepts(String value) {
        return value != null && !value.isBlank()
                && pattern.map(p -> p.matcher(value.strip()).matches()).orElse(true);
    }
}
