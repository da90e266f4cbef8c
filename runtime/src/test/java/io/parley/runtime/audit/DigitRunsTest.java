package io.parley.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigitRunsTest {

    private static final DigitRuns PHONE_LIKE = new DigitRuns(7, " ().-", 2, 3, 1, DigitRuns.Inert.NONE);

    @Test
    void aRunLongEnoughIsAWindowWithTheCharactersAroundIt() {
        String text = "placed on 2026-11-20. ok";

        assertThat(texts(text, PHONE_LIKE.windows(text))).containsExactly("on 2026-11-20.");
    }

    @Test
    void shortRunsAndRunsBrokenByOtherCharactersAreNoWindow() {
        String text = "order 1001, 42.50 EUR, 123x4567, 123---4567";

        assertThat(PHONE_LIKE.windows(text)).isEmpty();
    }

    @Test
    void windowsThatOverlapAreJoined() {
        String text = "1234567 (+7654321";

        assertThat(texts(text, PHONE_LIKE.windows(text))).containsExactly(text);
    }

    @Test
    void windowsStopAtTheEndsOfTheText() {
        String text = "12345678";

        assertThat(texts(text, PHONE_LIKE.windows(text))).containsExactly(text);
    }

    @Test
    void aWindowHoldsWholeCharactersAtBothEnds() {
        String text = "\uD835\uDC00+(1234567\uD835\uDFCF";

        assertThat(texts(text, PHONE_LIKE.windows(text))).containsExactly(text);
    }

    @Test
    void onlyAsciiDigitsMakeARun() {
        String text = "١٢٣٤٥٦٧٨";

        assertThat(PHONE_LIKE.windows(text)).isEmpty();
    }

    private static List<String> texts(String text, List<int[]> windows) {
        return windows.stream().map(window -> text.substring(window[0], window[1])).toList();
    }
}
