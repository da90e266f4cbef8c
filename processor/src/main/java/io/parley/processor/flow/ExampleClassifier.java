package io.parley.processor.flow;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.parley.processor.nlu.Confidence;
import io.parley.processor.nlu.IntentClassifier;
import io.parley.processor.nlu.RankedIntent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in classifier over the flows' intents: trained from their {@code examples}, it names
 * the intent of a message no rule matched. A confident guess takes the slot values the message
 * holds wherever the slots' patterns find them; an unsure one offers the top intents.
 */
final class ExampleClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleClassifier.class);

    /** How many intents an unsure guess offers. */
    static final int CHOICES = 3;

    /** The class the flows' {@code nlu.outOfScope} examples train: what the bot does not do. */
    static final String OUT_OF_SCOPE = "(out-of-scope)";

    private final IntentClassifier classifier;
    private final Confidence confidence;
    private final Map<String, IntentDefinition> intents;
    /** Per intent, its slots' patterns made unanchored once at start (compiling one per message cost more than classifying it). */
    private final Map<String, List<SlotFinder>> slotFinders;

    private ExampleClassifier(IntentClassifier classifier, Confidence confidence, Map<String, IntentDefinition> intents) {
        this.classifier = classifier;
        this.confidence = confidence;
        this.intents = intents;
        this.slotFinders = intents.values().stream().collect(Collectors.toMap(IntentDefinition::name, ExampleClassifier::slotFinders));
    }

    /** Finds a slot's value anywhere in a message: the slot's pattern, unanchored, on whole words. */
    private record SlotFinder(String slot, Pattern unanchored) {
    }

    private static List<SlotFinder> slotFinders(IntentDefinition intent) {
        List<SlotFinder> finders = new ArrayList<>();
        intent.slots().values().forEach(slot -> slot.pattern().ifPresent(pattern ->
                finders.add(new SlotFinder(slot.name(), unanchored(pattern)))));
        return List.copyOf(finders);
    }

    /** Trains on the intents' examples, when at least two intents have some. */
    static Optional<ExampleClassifier> train(List<IntentDefinition> intents, Confidence confidence, List<String> outOfScope) {
        Map<String, List<String>> examples = new LinkedHashMap<>();
        intents.stream().filter(intent -> !intent.examples().isEmpty()).forEach(intent -> examples.put(intent.name(), intent.examples()));
        if (examples.size() < 2) {
            return Optional.empty();
        }
        if (!outOfScope.isEmpty()) {
            // Without it a closed-set classifier must name some intent for "tell me a joke".
            examples.put(OUT_OF_SCOPE, outOfScope);
        }
        long started = System.nanoTime();
        IntentClassifier classifier = IntentClassifier.train(examples);
        LOG.info("Intent classifier {} trained on {} examples of {} intents in {} ms", classifier.fingerprint(),
                examples.values().stream().mapToInt(List::size).sum(), examples.size(), (System.nanoTime() - started) / 1_000_000);
        Map<String, IntentDefinition> byName = intents.stream().collect(Collectors.toMap(IntentDefinition::name, intent -> intent));
        return Optional.of(new ExampleClassifier(classifier, confidence, byName));
    }

    String fingerprint() {
        return classifier.fingerprint();
    }

    Understanding understand(String text) {
        List<RankedIntent> ranked = classifier.rank(text);
        if (ranked.isEmpty() || ranked.get(0).confidence() < confidence.ask()) {
            return new Understanding.NotUnderstood("classifier", ranked);
        }
        RankedIntent best = ranked.get(0);
        if (best.intent().equals(OUT_OF_SCOPE)) {
            return new Understanding.NotUnderstood("classifier", ranked);
        }
        if (best.confidence() >= confidence.accept()) {
            IntentDefinition intent = intents.get(best.intent());
            return new Understanding.Matched(new IntentMatch(intent, slotsIn(slotFinders.get(intent.name()), text), "classifier",
                    evidence(ranked)));
        }
        List<IntentDefinition> choices = ranked.stream().filter(candidate -> !candidate.intent().equals(OUT_OF_SCOPE))
                .limit(CHOICES).filter(candidate -> candidate.confidence() >= confidence.ask() / 2)
                .map(candidate -> intents.get(candidate.intent())).toList();
        return new Understanding.Ambiguous(choices, ranked, classifier.fingerprint());
    }

    /** The audit attributes of a classified message: the model and the top intents with their confidences. */
    Map<String, String> evidence(List<RankedIntent> ranked) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("classifier.model", classifier.fingerprint());
        evidence.put("classifier.top", top(ranked));
        return evidence;
    }

    static String top(List<RankedIntent> ranked) {
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(CHOICES, ranked.size()); i++) {
            RankedIntent candidate = ranked.get(i);
            top.append(i == 0 ? "" : ",").append(candidate.intent()).append(':').append(twoDecimals(candidate.confidence()));
        }
        return top.toString();
    }

    /**
     * {@code String.format(Locale.ROOT, "%.2f", confidence)}, without the formatter (it cost more than the
     * classification itself). A confidence whose hundredths lie within a millionth of a rounding boundary
     * goes to the formatter, so the text is always the formatter's.
     */
    static String twoDecimals(double confidence) {
        if (confidence >= 0 && confidence <= 1) {
            double hundredths = confidence * 100;
            double whole = Math.floor(hundredths);
            double fraction = hundredths - whole;
            if (Math.abs(fraction - 0.5) > 1e-6) {
                int cents = (int) whole + (fraction > 0.5 ? 1 : 0);
                return (cents / 100) + (cents % 100 < 10 ? ".0" : ".") + (cents % 100);
            }
        }
        return String.format(Locale.ROOT, "%.2f", confidence);
    }

    /** Slot values the message holds: each slot's pattern, wherever it finds a match in the text. */
    private static Map<String, String> slotsIn(List<SlotFinder> finders, String text) {
        Map<String, String> slots = new LinkedHashMap<>();
        for (SlotFinder finder : finders) {
            Matcher matcher = finder.unanchored().matcher(text);
            if (matcher.find()) {
                slots.put(finder.slot(), matcher.group(1));
            }
        }
        return slots;
    }

    private static Pattern unanchored(Pattern pattern) {
        String source = pattern.pattern();
        if (source.startsWith("^")) {
            source = source.substring(1);
        }
        if (source.endsWith("$") && !source.endsWith("\\$")) {
            source = source.substring(0, source.length() - 1);
        }
        // Whole words only: "1001" in "order 1001", not "100" inside "1001". RE2 has no look-around, so the
        // characters on either side belong to the match and the value is its first group.
        return Pattern.compile("(?:^|[^\\p{L}\\p{N}])(" + source + ")(?:$|[^\\p{L}\\p{N}])", pattern.flags());
    }
}
