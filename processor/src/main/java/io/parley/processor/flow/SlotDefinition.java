package io.parley.processor.flow;

import com.google.re2j.Pattern;
import java.util.Locale;
import java.util.Optional;

/**
 * A detail an intent needs before it can call backends, such as an order number.
 *
 * @param name the slot's name, used as {@code {{slots.<name>}}} in templates
 * @param prompt the question asked when the slot is missing
 * @param pattern what a valid value looks like (the whole answer must match; RE2 syntax, linear time); empty accepts anything
 * @param invalid the message sent when an answer does not match, before asking again
 * @param retries how many invalid answers are re-prompted before the intent is given up
 * @param normalize how a value is tidied before it is checked and used ("mug-01" becomes "MUG-01")
 * @param entity an entity list or a reference table (with {@code names:}) whose phrases found in a message fill the slot
 */
public record SlotDefinition(String name, Template prompt, Optional<Pattern> pattern, Template invalid, int retries,
                             Normalization normalize, Optional<String> entity) {

    public SlotDefinition(String name, Template prompt, Optional<Pattern> pattern, Template invalid, int retries,
                          Normalization normalize) {
        this(name, prompt, pattern, invalid, retries, normalize, Optional.empty());
    }

    /** How a slot's value is tidied before it is checked and used; {@code trim} is always done. */
    public enum Normalization {
        /** Surrounding spaces removed, nothing else. */
        TRIM,
        /** Upper case, as product codes are stored ("mug-01" → "MUG-01"). */
        UPPER,
        /** Lower case, as e-mail addresses and user names are compared. */
        LOWER,
        /** Digits only ("10 01", "#1001" → "1001"), as numbers are typed. */
        DIGITS;

        String apply(String value) {
            String trimmed = value.strip();
            return switch (this) {
                case TRIM -> trimmed;
                case UPPER -> trimmed.toUpperCase(Locale.ROOT);
                case LOWER -> trimmed.toLowerCase(Locale.ROOT);
                case DIGITS -> trimmed.replaceAll("\\D", "");
            };
        }
    }

    /** The value as the slot keeps it (normalised), when it is acceptable. */
    public Optional<String> value(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String normalized = normalize.apply(raw);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        return pattern.map(p -> p.matcher(normalized).matches()).orElse(true) ? Optional.of(normalized) : Optional.empty();
    }

    /** Whether the value is acceptable for this slot (once normalised). */
    public boolean accepts(String value) {
        return value(value).isPresent();
    }
}
