package io.parley.processor.nlu;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import opennlp.tools.ml.maxent.GISModel;
import opennlp.tools.ml.model.Context;
import opennlp.tools.ml.model.MaxentModel;

/**
 * The trained maximum-entropy model in a compact form for scoring: each known feature's weights in
 * flat arrays, found by the feature's characters without building a {@code String} per feature.
 *
 * <p>Why: the library's generic predict path builds every word, word pair and character n-gram of
 * a message as a {@code String}, collects them in a list and looks each up in a {@code HashMap}.
 * Here the message's features are written one by one into a scratch buffer, hashed as they are
 * written, and looked up in an open-addressing table that confirms every hit character by character
 * (so a hash collision can never lend a feature another's weights).
 *
 * <p>Scores are computed exactly as OpenNLP's {@code GISModel.eval} does with its uniform prior:
 * start every outcome at {@code log(1/n)}, add each known feature's weights in the order the
 * features are generated, then {@code exp} and normalise, both with {@link StrictMath}. The same
 * operations in the same order give the same doubles; {@link IntentClassifier} checks that on the
 * training examples when it builds the table and falls back to the library if they ever differ.
 */
final class WeightTable {

    private static final int EMPTY = -1;

    private final String[] outcomes;
    private final double uniformLogPrior;
    /** Open addressing, linear probing: a feature's slot holds its index, or {@link #EMPTY}. */
    private final int[] slots;
    private final int mask;
    private final int[] hashes;
    private final char[][] names;
    /** The weights of feature f are {@code parameters[starts[f] .. starts[f + 1])}, each for outcome {@code outcomeIds[i]}. */
    private final int[] starts;
    private final int[] outcomeIds;
    private final double[] parameters;

    private WeightTable(String[] outcomes, Map<String, Context> features) {
        this.outcomes = outcomes.clone();
        this.uniformLogPrior = StrictMath.log(1.0 / outcomes.length);
        int count = features.size();
        int capacity = Integer.highestOneBit(Math.max(4, count * 2) - 1) << 1;
        this.slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
        this.mask = capacity - 1;
        this.hashes = new int[count];
        this.names = new char[count][];
        this.starts = new int[count + 1];
        int weights = features.values().stream().mapToInt(context -> context.getOutcomes().length).sum();
        this.outcomeIds = new int[weights];
        this.parameters = new double[weights];
        int feature = 0;
        int next = 0;
        for (Map.Entry<String, Context> entry : features.entrySet()) {
            String name = entry.getKey();
            hashes[feature] = name.hashCode();
            names[feature] = name.toCharArray();
            int slot = spread(hashes[feature]) & mask;
            while (slots[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = feature;
            starts[feature] = next;
            int[] ids = entry.getValue().getOutcomes();
            double[] values = entry.getValue().getParameters();
            System.arraycopy(ids, 0, outcomeIds, next, ids.length);
            System.arraycopy(values, 0, parameters, next, ids.length);
            next += ids.length;
            feature++;
        }
        starts[count] = next;
    }

    /** The table of a trained model; empty when the model is not the kind this table reproduces. */
    @SuppressWarnings("unchecked")
    static Optional<WeightTable> of(MaxentModel model) {
        if (!(model instanceof GISModel gis)) {
            return Optional.empty();
        }
        Object[] structures = gis.getDataStructures();
        if (structures.length < 3 || !(structures[1] instanceof Map<?, ?>) || !(structures[2] instanceof String[] names)) {
            return Optional.empty();
        }
        return Optional.of(new WeightTable(names, (Map<String, Context>) structures[1]));
    }

    int outcomeCount() {
        return outcomes.length;
    }

    String outcome(int index) {
        return outcomes[index];
    }

    /** A new score accumulator: every outcome at the uniform prior. */
    double[] prior() {
        double[] scores = new double[outcomes.length];
        Arrays.fill(scores, uniformLogPrior);
        return scores;
    }

    /** Adds the weights of the feature in {@code buffer[0 .. length)} (hashed as {@code hash}), if the model knows it. */
    void add(char[] buffer, int length, int hash, double[] scores) {
        int slot = spread(hash) & mask;
        for (int feature = slots[slot]; feature != EMPTY; feature = slots[slot]) {
            if (hashes[feature] == hash && Arrays.equals(names[feature], 0, names[feature].length, buffer, 0, length)) {
                for (int i = starts[feature], end = starts[feature + 1]; i < end; i++) {
                    scores[outcomeIds[i]] += parameters[i];
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Turns the summed weights into probabilities, in place. */
    static double[] normalise(double[] scores) {
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = StrictMath.exp(scores[i]);
            total += scores[i];
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= total;
        }
        return scores;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
