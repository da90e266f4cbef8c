package io.parley.processor.tables;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How messages and entity phrases are compared: case and diacritics do not matter ("Blue Mug",
 * "blue mug" and "blüe mug" are the same), and neither does punctuation between words.
 */
public final class EntityText {

    private EntityText() {
    }

    /** The words of a text: letters and digits, lower case, without diacritics. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else if (!word.isEmpty()) {
                words.add(word.toString());
                word.setLength(0);
            }
            i += Character.charCount(cp);
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** A phrase as it is compared: its words joined by single spaces (empty when it has none). */
    public static String phrase(String text) {
        return String.join(" ", words(text));
    }
}
