package io.parley.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void parametersArePercentDecodedWithPlusAsASpaceAndTheFirstOfARepeatedNameWins() {
        assertThat(QueryString.parse("q=blue+mug&tag=a%26b&flag&q=second"))
                .containsExactly(java.util.Map.entry("q", "blue mug"), java.util.Map.entry("tag", "a&b"),
                        java.util.Map.entry("flag", ""));
    }

    @Test
    void noQueryIsNoParameters() {
        assertThat(QueryString.parse(null)).isEmpty();
        assertThat(QueryString.parse("")).isEmpty();
    }

    @Test
    void aMalformedPercentEncodingIsRefused() {
        assertThatThrownBy(() -> QueryString.parse("q=%zz")).isInstanceOf(IllegalArgumentException.class);
    }
}
