package io.parley.processor.nlu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in intent classifier: a maximum-entropy document categorizer (Apache OpenNLP)
 * trained at start from the flows' example utterances, on word, word-pair and character n-gram
 * features ({@link TextFeatures}). Training has no randomness, so the same examples always give
 * the same model; its fingerprint (a hash of the examples and the training settings) is logged
 * and recorded with every classified turn. Classifying a message takes microseconds and no I/O: the
 * trained weights are read into a {@link WeightTable} at start, which scores a message exactly as the
 * library does, without building a string per feature.
 */
public final class IntentClassifier {

    /** Bumped whenever the features or the training settings change, so fingerprints change with them. */
    private static final String VERSION = "maxent-w1b2c34-i200-v1";
    private static final int ITERATIONS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(IntentClassifier.class);

    private final DocumentCategorizerME categorizer;
    private final String fingerprint;
    /** The model's compact scorer; empty when it did not reproduce the library's answers (then the library answers). */
    private final Optional<WeightTable> weights;

    private IntentClassifier(DocumentCategorizerME categorizer, String fingerprint, Optional<WeightTable> weights) {
        this.categorizer = categorizer;
        this.fingerprint = fingerprint;
        this.weights = weights;
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
            DocumentCategorizerME categorizer = new DocumentCategorizerME(model);
            return new IntentClassifier(categorizer, fingerprint(sorted), weightsFor(model, categorizer, samples));
        } catch (IOException e) {
            throw new UncheckedIOException("training the intent classifier failed", e);
        }
    }

    /**
     * The compact scorer of the trained model, if it gives exactly the library's probabilities for every
     * training example. It always should (it does the library's arithmetic in the library's order); the
     * check guards against a library version that scores differently, at the cost of a few milliseconds at start.
     */
    private static Optional<WeightTable> weightsFor(DoccatModel model, DocumentCategorizerME categorizer,
                                                    List<DocumentSample> samples) {
        Optional<WeightTable> weights = WeightTable.of(model.getMaxentModel());
        if (weights.isEmpty() || weights.get().outcomeCount() != categorizer.getNumberOfCategories()) {
            LOG.warn("The intent classifier scores with the library's generic path: its model is not one the compact scorer reads");
            return Optional.empty();
        }
        for (int i = 0; i < weights.get().outcomeCount(); i++) {
            if (!weights.get().outcome(i).equals(categorizer.getCategory(i))) {
                LOG.warn("The intent classifier scores with the library's generic path: its intents are in another order");
                return Optional.empty();
            }
        }
        for (DocumentSample sample : samples) {
            if (!Arrays.equals(TextFeatures.score(sample.getText(), weights.get()), categorizer.categorize(sample.getText()))) {
                LOG.warn("The intent classifier scores with the library's generic path: the compact scorer disagreed on an example");
                return Optional.empty();
            }
        }
        return weights;
    }

    /** The intents ranked by confidence, best first; empty for a message without words. */
    public List<RankedIntent> rank(String text) {
        String[] tokens = TextFeatures.tokens(text == null ? "" : text);
        if (tokens.length == 0) {
            return List.of();
        }
        return ranked(weights.isPresent() ? TextFeatures.score(tokens, weights.get()) : categorizer.categorize(tokens));
    }

    /** {@link #rank} through the library's own predict path, always: what the compact scorer must agree with. */
    List<RankedIntent> rankWithLibrary(String text) {
        String[] tokens = TextFeatures.tokens(text == null ? "" : text);
        return tokens.length == 0 ? List.of() : ranked(categorizer.categorize(tokens));
    }

    /** Whether {@link #rank} uses the compact scorer (it does unless the start-up check fell back to the library). */
    boolean compact() {
        return weights.isPresent();
    }

    private List<RankedIntent> ranked(double[] scores) {
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
