package io.parley.processor.nlu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntentClassifierTest {

    private static final Map<String, List<String>> EXAMPLES = Map.of(
            "track", List.of("where is my parcel", "track my package", "has my parcel shipped", "delivery status"),
            "refund", List.of("I want my money back", "refund please", "return this item", "give me a refund"),
            "hours", List.of("when are you open", "opening hours", "are you open on sunday", "what time do you close"));

    @Test
    void trainingIsDeterministicAndFingerprinted() {
        IntentClassifier first = IntentClassifier.train(EXAMPLES);
        IntentClassifier second = IntentClassifier.train(EXAMPLES);

        assertThat(first.fingerprint()).hasSize(12).isEqualTo(second.fingerprint());
        assertThat(first.rank("is my parcel on its way")).isEqualTo(second.rank("is my parcel on its way"));
        assertThat(IntentClassifier.train(Map.of("track", List.of("x"), "refund", List.of("y"))).fingerprint())
                .isNotEqualTo(first.fingerprint());
    }

    @Test
    void typosAndInflectionsStillFindTheIntent() {
        IntentClassifier classifier = IntentClassifier.train(EXAMPLES);

        assertThat(classifier.rank("were is my parcle").get(0).intent()).isEqualTo("track");
        assertThat(classifier.rank("refunding my purchase").get(0).intent()).isEqualTo("refund");
        assertThat(classifier.rank("opening time sunday").get(0).intent()).isEqualTo("hours");
    }

    @Test
    void confidencesAreRankedAndAddUpToOne() {
        List<RankedIntent> ranked = IntentClassifier.train(EXAMPLES).rank("track the parcel");

        assertThat(ranked).hasSize(3);
        assertThat(ranked.get(0).confidence()).isGreaterThanOrEqualTo(ranked.get(1).confidence());
        assertThat(ranked.stream().mapToDouble(RankedIntent::confidence).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(IntentClassifier.train(EXAMPLES).rank("?!")).isEmpty();
    }

    @Test
    void oneIntentIsNotEnoughToClassify() {
        assertThatThrownBy(() -> IntentClassifier.train(Map.of("only", List.of("hello"))))
                .hasMessage("the classifier needs examples of at least two intents");
    }
}
