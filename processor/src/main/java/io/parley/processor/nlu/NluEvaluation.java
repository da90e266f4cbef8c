package io.parley.processor.nlu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluates how messages are understood, like {@code rasa test nlu}: on a held-out test set
 * through the whole understanding (titles, rules, classifier, thresholds), and by k-fold
 * cross-validation of the classifier on the flows' own examples.
 */
public final class NluEvaluation {

    /** What the bot made of a message: an intent name, {@link NluReport#ASK} or {@link NluReport#NONE}, and slots. */
    public record Prediction(String intent, Map<String, String> slots) {
    }

    private NluEvaluation() {
    }

    public static NluReport testSet(List<NluTestCase> tests, Function<String, Prediction> understand) {
        NluReport report = new NluReport("test set");
        for (NluTestCase test : tests) {
            Prediction prediction = understand.apply(test.text());
            boolean slotsRight = test.slots().entrySet().stream()
                    .allMatch(slot -> slot.getValue().equalsIgnoreCase(prediction.slots().getOrDefault(slot.getKey(), "")));
            report.add(new NluReport.Outcome(test.text(), test.intent(), prediction.intent(), slotsRight));
        }
        return report;
    }

    /**
     * Trains on all folds but one and tests the classifier's best guess on the one left out, for
     * each fold. Examples are dealt to folds in turn per intent, so every fold holds every intent.
     */
    public static NluReport crossValidate(Map<String, List<String>> examples, int folds) {
        if (folds < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds");
        }
        NluReport report = new NluReport(folds + "-fold cross-validation");
        for (int fold = 0; fold < folds; fold++) {
            Map<String, List<String>> training = new LinkedHashMap<>();
            List<NluTestCase> held = new ArrayList<>();
            for (Map.Entry<String, List<String>> intent : examples.entrySet()) {
                List<String> kept = new ArrayList<>();
                List<String> utterances = intent.getValue();
                for (int i = 0; i < utterances.size(); i++) {
                    if (i % folds == fold) {
                        held.add(new NluTestCase(utterances.get(i), intent.getKey(), Map.of()));
                    } else {
                        kept.add(utterances.get(i));
                    }
                }
                training.put(intent.getKey(), kept);
            }
            IntentClassifier classifier = IntentClassifier.train(training);
            for (NluTestCase test : held) {
                List<RankedIntent> ranked = classifier.rank(test.text());
                String predicted = ranked.isEmpty() ? NluReport.NONE : ranked.get(0).intent();
                report.add(new NluReport.Outcome(test.text(), test.intent(), predicted, true));
            }
        }
        return report;
    }
}
