package io.parley.processor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.processor.nlu.RankedIntent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The audit's confidences ({@code classifier.top}) read exactly as {@code %.2f} wrote them before it was made cheap. */
class ConfidenceTextTest {

    @Test
    void confidencesAreWrittenAsTheFormatterWritesThem() {
        // Given boundaries, halves that binary cannot hold exactly, and many random confidences
        List<Double> tricky = List.of(0.0, 1.0, 0.005, 0.015, 0.125, 0.135, 0.545, 0.555, 0.995, 0.9949999999, 0.09, 0.1, 0.999999,
                1e-12, Math.nextDown(1.0), Math.nextUp(0.0), 0.5, 0.305, 0.6049999999999999);
        SplittableRandom random = new SplittableRandom(14);

        // Then each is the formatter's text
        tricky.forEach(ConfidenceTextTest::assertAsFormatted);
        List<String> different = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            compare(random.nextDouble(), different);
        }
        for (int step = 0; step <= 10_000; step++) {
            compare(step / 10_000.0, different);
        }
        for (int cents = 0; cents < 100; cents++) {
            double half = cents / 100.0 + 0.005;
            compare(half, different);
            compare(Math.nextUp(half), different);
            compare(Math.nextDown(half), different);
        }
        assertThat(different).isEmpty();
    }

    private static void compare(double confidence, List<String> different) {
        String expected = String.format(Locale.ROOT, "%.2f", confidence);
        String actual = ExampleClassifier.twoDecimals(confidence);
        if (!expected.equals(actual)) {
            different.add(confidence + ": " + actual + " instead of " + expected);
        }
    }

    @Test
    void theTopIntentsAreTheFirstThreeWithTheirConfidences() {
        List<RankedIntent> ranked = List.of(new RankedIntent("order-status", 0.8154), new RankedIntent("shipment-tracking", 0.105),
                new RankedIntent("stock-check", 0.07), new RankedIntent("greeting", 0.0096));

        assertThat(ExampleClassifier.top(ranked)).isEqualTo("order-status:0.82,shipment-tracking:" + String.format(Locale.ROOT, "%.2f", 0.105)
                + ",stock-check:0.07");
        assertThat(ExampleClassifier.top(List.of())).isEmpty();
    }

    private static void assertAsFormatted(double confidence) {
        assertThat(ExampleClassifier.twoDecimals(confidence)).as("%s", confidence).isEqualTo(String.format(Locale.ROOT, "%.2f", confidence));
    }
}
