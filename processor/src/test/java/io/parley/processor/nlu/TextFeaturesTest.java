package io.parley.processor.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * The tokenizer without regular expressions must split exactly as the one the model was first trained with
 * ({@code [^\p{L}\p{N}]+}, digits folded with {@code \p{N}} → {@code #}), or the same examples would give
 * another model behind the same fingerprint.
 */
class TextFeaturesTest {

    /** The tokenizer as it was written first, kept here as the reference. */
    private static String[] regexTokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                tokens.add(word.replaceAll("\\p{N}", "#"));
            }
        }
        return tokens.toArray(String[]::new);
    }

    @Example
    void chatMessagesSplitAsBefore() {
        for (String text : List.of("where is my order 1001", "Is MUG-01 in stock?", "hey, anybody there", "İstanbul ﬁle ǅemal",
                "١٢٣ order ٤٥٦ Ⅻ ½", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚 🙂", "\ud800 lone \udc00 surrogates", "", "  ", "ÀÉÎÕÜ straße")) {
            assertThat(TextFeatures.tokens(text)).as(text).containsExactly(regexTokens(text));
        }
    }

    @Property(tries = 1000)
    void anyTextSplitsAsBefore(@ForAll("texts") String text) {
        assertThat(TextFeatures.tokens(text)).containsExactly(regexTokens(text));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u007f'),
                Arbitraries.chars().range('\u0080', '\u07ff'),
                Arbitraries.chars().range('\u2000', '\u218f'),
                Arbitraries.chars().range('\ud800', '\udfff'),
                Arbitraries.chars().range('\u0660', '\u0669'),
                Arbitraries.of('İ', 'ı', 'ǅ', 'ß', 'ﬁ', 'Σ', ' ', '-', '1'));
        return chars.list().ofMaxSize(40).map(list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(text::append);
            return text.toString();
        });
    }
}
