package io.parley.processor.nlu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;

/**
 * The built-in intent classifier: a maximum-entropy document categorizer (Apache OpenNLP)
 * trained at start from the flows' example utterances, on word, word-pair and character n-gram
 * features ({@link TextFeatures}). Training has no randomness, so the same examples always give
 * the same model; its fingerprint (a hash of the examples and the training settings) is logged
 * and recorded with every classified turn. Classifying a message takes microseconds and no I/O.
 */
public final class IntentClassifier {

    /** Bumped whenever the features or the training settings change, so fingerprints change with them. */
    private static final String VERSION = "maxent-w1b2c34-i200-v1";
    private static final int ITERATIONS = 200;

    private final DocumentCategorizerME categorizer;
    private final String fingerprint;

    private IntentClassifier(DocumentCategorizerME categorizer, String fingerprint) {
        this.categorizer = categorizer;
        this.fingerprint = fingerprint;
    }

    /**
     * Trains on the examples of each intent.
     *
     * @param examples intent name → example utterances; at least two intents must have examples
     */
    public static IntentClassifier train(Map<String, List<String>> examples) {
        Map<String, List<String>> sorted = new TreeMap<>(examples);
        sorted.values().removeIf(List::isEmpty);
        if (sorted.size() < 2) {
            throw new IllegalArgumentException("the classifier needs examples of at least two intents");
        }
        List<DocumentSample> samples = new ArrayList<>();
        sorted.forEach((intent, utterances) -> utterances.forEach(utterance ->
                samples.add(new DocumentSample(intent, TextFeatures.tokens(utterance)))));
        TrainingParameters parameters = new TrainingParameters();
        parameters.put(TrainingParameters.ALGORITHM_PARAM, "MAXENT");
        parameters.put(TrainingParameters.ITERATIONS_PARAM, ITERATIONS);
        // Chat examples are few: a feature seen once is still worth keeping.
        parameters.put(TrainingParameters.CUTOFF_PARAM, 1);
        parameters.put(TrainingParameters.THREADS_PARAM, 1);
        try {
            DoccatModel model = DocumentCategorizerME.train("und", ObjectStreamUtils.createObjectStream(samples), parameters,
                    new DoccatFactory(new FeatureGenerator[] {new TextFeatures()}));
            return new IntentClassifier(new DocumentCategorizerME(model), fingerprint(sorted));
        } catch (IOException e) {
            throw new UncheckedIOException("training the intent classifier failed", e);
        }
    }

    /** The intents ranked by confidence, best first; empty for a message without words. */
    public List<RankedIntent> rank(String text) {
        String[] tokens = TextFeatures.tokens(text == null ? "" : text);
        if (tokens.length == 0) {
            return List.of();
        }
        double[] scores = categorizer.categorize(tokens);
        List<RankedIntent> ranked = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            ranked.add(new RankedIntent(categorizer.getCategory(i), scores[i]));
        }
        ranked.sort(Comparator.comparingDouble(RankedIntent::confidence).reversed().thenComparing(RankedIntent::intent));
        return ranked;
    }

    /** A short hash of the training examples and settings: equal fingerprints, equal models. */
    public String fingerprint() {
        return fingerprint;
    }

    private static String fingerprint(Map<String, List<String>> sorted) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(VERSION.getBytes(StandardCharsets.UTF_8));
            sorted.forEach((intent, utterances) -> {
                digest.update(("\n#" + intent).getBytes(StandardCharsets.UTF_8));
                utterances.forEach(utterance -> digest.update(("\n" + utterance).getBytes(StandardCharsets.UTF_8)));
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
