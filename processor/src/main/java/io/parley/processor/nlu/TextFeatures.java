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
 * <p>Public with a public constructor because OpenNLP re-creates feature generators by class name
 * when it builds a categorizer from a trained model.
 */
public final class TextFeatures implements FeatureGenerator {

    public TextFeatures() {
        // stateless
    }

    /** Words of a message: lower case, letters and digits, digits folded. */
    static String[] tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                tokens.add(word.replaceAll("\\p{N}", "#"));
            }
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
}
