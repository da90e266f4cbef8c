package io.parley.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.worker.connector.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The phrased reply's guardrail: numbers and quoted values must come from the results. */
class FactGuardTest {

    private static JsonNode results() throws IOException {
        return JsonText.read("""
                {"order": {"id": "ORD-1001", "total": 1299.50, "items": [{"name": "Blue mug", "qty": 2}], "eta": "2026-12-07"}}"""
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void numbersFromTheResultsPassWhateverTheirNotation() throws IOException {
        assertThat(FactGuard.check("Order ORD-1001: 2 × Blue mug, 1,299.5 in total, arriving 2026-12-07.", results())).isEmpty();
        assertThat(FactGuard.check("The total is 1299.50.", results())).isEmpty();
    }

    @Test
    void aNumberNotInTheResultsIsRefusedWithoutNamingIt() throws IOException {
        assertThat(FactGuard.check("Your 3 mugs arrive tomorrow.", results()))
                .contains("the reply states a number that is not in the results");
        assertThat(FactGuard.check("The total is 1,299.99.", results())).isPresent();
    }

    @Test
    void quotedValuesMustOccurInTheResultsIgnoringCase() throws IOException {
        assertThat(FactGuard.check("You ordered \"blue MUG\".", results())).isEmpty();
        assertThat(FactGuard.check("You ordered “Red teapot”.", results()))
                .contains("the reply quotes a value that is not in the results");
    }

    @Test
    void aReplyWithoutNumbersOrQuotesPasses() throws IOException {
        assertThat(FactGuard.check("Your order is on its way.", results())).isEmpty();
    }
}
