package io.parley.processor.nlu;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.doccat.FeatureGenerator;

/**
 * The features of a short chat message: its words, word pairs, and the character 3- and 4-grams
 * of each word. Character n-grams let "parcel", "parcels" and "parcle" share most of their
 * features, so inflections and typos still match; digits are folded to {@code #} so "1001" and
 * "2001" look alike.
 *
 * <p>There are two ways to the same features: {@link #extractFeatures} builds them as strings for
 * OpenNLP (training, and the library's own predict path), and {@link #score} feeds them, in the
 * same order, straight from a scratch buffer into a {@link WeightTable} without a string per feature.
 *
 * <p>Public with a public constructor because OpenNLP re-creates feature generators by class name
 * when it builds a categorizer from a trained model.
 */
public final class TextFeatures implements FeatureGenerator {

    private static final int NUMBERS = (1 << Character.DECIMAL_DIGIT_NUMBER) | (1 << Character.LETTER_NUMBER)
            | (1 << Character.OTHER_NUMBER);
    private static final int LETTERS = (1 << Character.UPPERCASE_LETTER) | (1 << Character.LOWERCASE_LETTER)
            | (1 << Character.TITLECASE_LETTER) | (1 << Character.MODIFIER_LETTER) | (1 << Character.OTHER_LETTER);

    public TextFeatures() {
        // stateless
    }

    /**
     * Words of a message: lower case, letters and digits, digits folded. A word is a run of code points
     * of the Unicode categories L and N (what {@code [\p{L}\p{N}]+} matches), each N code point becoming {@code #}.
     */
    static String[] tokens(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < lower.length(); ) {
            int codePoint = lower.codePointAt(i);
            i += Character.charCount(codePoint);
            int category = 1 << Character.getType(codePoint);
            if ((category & NUMBERS) != 0) {
                word.append('#');
            } else if ((category & LETTERS) != 0) {
                word.appendCodePoint(codePoint);
            } else if (!word.isEmpty()) {
                tokens.add(word.toString());
                word.setLength(0);
            }
        }
        if (!word.isEmpty()) {
            tokens.add(word.toString());
        }
        return tokens.toArray(String[]::new);
    }

    @Override
    public Collection<String> extractFeatures(String[] words, Map<String, Object> extraInformation) {
        List<String> features = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            features.add("w=" + word);
            if (i > 0) {
                features.add("b=" + words[i - 1] + "_" + word);
            }
            String bounded = "^" + word + "$";
            for (int size = 3; size <= 4; size++) {
                for (int start = 0; start + size <= bounded.length(); start++) {
                    features.add("c" + size + "=" + bounded.substring(start, start + size));
                }
            }
        }
        return features;
    }

    /**
     * The model's probabilities for these words: the features of {@link #extractFeatures}, in its order,
     * each written into one scratch buffer and looked up in the table.
     */
    static double[] score(String[] words, WeightTable table) {
        double[] scores = table.prior();
        int longest = 0;
        for (String word : words) {
            longest = Math.max(longest, word.length());
        }
        // Room for the longest feature: "b=" + two words + "_", or a 4-gram after "c4=".
        char[] buffer = new char[Math.max(7, 2 * longest + 3)];
        char[] bounded = new char[longest + 2];
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            int length = put(buffer, 0, "w=");
            length = put(buffer, length, word);
            table.add(buffer, length, hash(buffer, length), scores);
            if (i > 0) {
                length = put(buffer, 0, "b=");
                length = put(buffer, length, words[i - 1]);
                buffer[length++] = '_';
                length = put(buffer, length, word);
                table.add(buffer, length, hash(buffer, length), scores);
            }
            bounded[0] = '^';
            word.getChars(0, word.length(), bounded, 1);
            int boundedLength = word.length() + 2;
            bounded[boundedLength - 1] = '$';
            for (int size = 3; size <= 4; size++) {
                buffer[0] = 'c';
                buffer[1] = (char) ('0' + size);
                buffer[2] = '=';
                for (int start = 0; start + size <= boundedLength; start++) {
                    System.arraycopy(bounded, start, buffer, 3, size);
                    table.add(buffer, 3 + size, hash(buffer, 3 + size), scores);
                }
            }
        }
        return WeightTable.normalise(scores);
    }

    private static int put(char[] buffer, int at, String text) {
        text.getChars(0, text.length(), buffer, at);
        return at + text.length();
    }

    /** {@link String#hashCode()} of the buffer's first {@code length} characters. */
    private static int hash(char[] buffer, int length) {
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buffer[i];
        }
        return hash;
    }
}
