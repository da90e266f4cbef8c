package io.parley.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Seeded personal data in random text never reaches the audit stream, whatever surrounds it and
 * however it is written; and no text, however hostile, makes redaction slow.
 */
class RedactorFuzzTest {

    /** The phone pattern's exception, as a regular expression ({@code \d} is ASCII in both RE2 and the JDK). */
    private static final java.util.regex.Pattern ISO_DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final Redactor redactor = new Redactor();

    @Property(tries = 500)
    void aSeededCardNumberIsNeverLeft(@ForAll("filler") String before, @ForAll("cards") String card, @ForAll("filler") String after) {
        assertNotLeaked(before + " " + card + " " + after, card);
    }

    @Property(tries = 500)
    void aSeededIbanIsNeverLeft(@ForAll("filler") String before, @ForAll("ibans") String iban, @ForAll("filler") String after) {
        assertNotLeaked(before + " " + iban + " " + after, iban);
    }

    @Property(tries = 500)
    void aSeededEmailAddressIsNeverLeft(@ForAll("filler") String before, @ForAll("emails") String email, @ForAll("filler") String after) {
        String redacted = redactor.redact(before + " " + email + " " + after);

        assertThat(redacted).doesNotContain(email).doesNotContain(email.substring(email.indexOf('@')));
    }

    @Property(tries = 500)
    void aSeededPhoneNumberIsNeverLeft(@ForAll("filler") String before, @ForAll("phones") String phone, @ForAll("filler") String after) {
        assertNotLeaked(before + " " + phone + " " + after, phone);
    }

    @Property(tries = 200)
    void hostileTextIsRedactedQuickly(@ForAll("hostile") String text) {
        // Linear work for any text: a 100 kB message must not hold a stream thread. The bound only catches
        // runaway (backtracking) matching, which never ends on such input; how fast it is belongs to the bench
        // (5 s failed here once under a load average of 41).
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> redactor.redact(text));
    }

    @Property(tries = 1000)
    void skippingPatternsThatCannotMatchChangesNothing(@ForAll("mixed") String text) {
        // Given any text, with or without personal data in it
        // When it is redacted with the shortcuts and with every pattern run
        // Then both give the same text
        assertThat(Redactor.redact(text, true)).isEqualTo(Redactor.redact(text, false));
    }

    @Property(tries = 1000)
    void matchingNumbersOnlyWithinDigitRunsChangesNothing(@ForAll("numbers") String text) {
        // Given a text dense with digits and the characters around card and phone numbers
        // When it is redacted with the number patterns run only around long enough digit runs, and on the whole text
        // Then both give the same text
        assertThat(Redactor.redact(text, true)).isEqualTo(Redactor.redact(text, false));
    }

    @Property(tries = 1000)
    void matchingNumbersOnlyWithinDigitRunsChangesNothingBesideCharactersOutsideTheBmp(@ForAll("numbersAndWideCharacters") String text) {
        // Given digit runs next to letters and digits that take two chars (a surrogate pair) each
        // When it is redacted both ways
        // Then both give the same text: a window never holds half of such a character
        assertThat(Redactor.redact(text, true)).isEqualTo(Redactor.redact(text, false));
    }

    @Property(tries = 1000)
    void leavingDatesOutOfThePhoneSearchChangesNothing(@ForAll("datesAmongNumbers") String text) {
        // Given ISO dates next to digits, separators, an opening parenthesis or plus, letters
        // When it is redacted with bare dates not searched for phone numbers, and with the phone pattern on the whole text
        // Then both give the same text
        assertThat(Redactor.redact(text, true)).isEqualTo(Redactor.redact(text, false));
    }

    @Property(tries = 1000)
    void aDateIsWhatTheIsoDatePatternMatches(@ForAll("dateLike") String candidate) {
        assertThat(Redactor.isIsoDate(candidate)).isEqualTo(ISO_DATE.matcher(candidate).matches());
    }

    @Property(tries = 300)
    void skippingPatternsChangesNothingAroundSeededData(@ForAll("filler") String before, @ForAll("seeded") String seeded,
            @ForAll("mixed") String after) {
        String text = before + " " + seeded + " " + after;

        assertThat(Redactor.redact(text, true)).isEqualTo(Redactor.redact(text, false));
    }

    private void assertNotLeaked(String text, String seeded) {
        String redacted = redactor.redact(text);
        String digits = seeded.replaceAll("[^0-9A-Za-z]", "");
        assertThat(redacted).doesNotContain(seeded);
        assertThat(redacted.replaceAll("[^0-9A-Za-z]", "")).doesNotContain(digits);
    }

    @Provide
    Arbitrary<String> filler() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                Arbitraries.of("order", "please", "my", "card", "is", "iban:", "call", "me", "on", "thanks!", "(see", "below)",
                        "é", "ñandú", "привет", "你好", "—", "...", ",", "?", "#1"));
        return word.list().ofMaxSize(12).map(words -> String.join(" ", words));
    }

    /** Short texts over the characters the patterns care about, including those RE2 folds to ASCII letters. */
    @Provide
    Arbitrary<String> mixed() {
        return Arbitraries.strings().withChars("aZk0123456789 @.-+()_%ſK٣é").ofMaxLength(40);
    }

    /** Digits and separators with a letter (U+1D400) and a digit (U+1D7CF) from outside the BMP. */
    @Provide
    Arbitrary<String> numbersAndWideCharacters() {
        return Arbitraries.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", " ", "(", ")", ".", "-", "+", "a",
                "\uD835\uDC00", "\uD835\uDFCF").list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> datesAmongNumbers() {
        return Arbitraries.of("2026-12-09", "1999-01-31", "2026-12-09", "0", "7", "123", " ", "-", ".", "(", ")", "+", "a", "T",
                "\u0663", "\uD835\uDFCF").list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> dateLike() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789--a٣").ofMinLength(8).ofMaxLength(12),
                Arbitraries.strings().withChars("0123456789").ofLength(8).map(d -> d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6)));
    }

    /** Digit runs of every length with the separators, leads and ends of the number patterns, Unicode digits too. */
    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.strings().withChars("0123456789012345 ().-+a٣").ofMaxLength(60);
    }

    @Provide
    Arbitrary<String> seeded() {
        return Arbitraries.oneOf(cards(), ibans(), emails(), phones());
    }

    @Provide
    Arbitrary<String> cards() {
        Arbitrary<String> body = Arbitraries.strings().numeric().ofMinLength(12).ofMaxLength(18);
        Arbitrary<String> separator = Arbitraries.of("", " ", "-");
        return Combinators.combine(body, separator).as((digits, sep) -> group(withLuhnDigit(digits), 4, sep));
    }

    @Provide
    Arbitrary<String> ibans() {
        Arbitrary<String> country = Arbitraries.of("DE", "GB", "FR", "NL", "ES", "IT", "AT", "CH");
        Arbitrary<String> bban = Arbitraries.strings().withChars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ").ofMinLength(12).ofMaxLength(26);
        Arbitrary<Boolean> spaced = Arbitraries.of(true, false);
        Arbitrary<Boolean> lower = Arbitraries.of(true, false);
        return Combinators.combine(country, bban, spaced, lower).as((cc, rest, space, lowerCase) -> {
            String iban = cc + checkDigits(cc, rest) + rest;
            String written = space ? group(iban, 4, " ") : iban;
            return lowerCase ? written.toLowerCase(java.util.Locale.ROOT) : written;
        });
    }

    @Provide
    Arbitrary<String> emails() {
        Arbitrary<String> local = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._+-").ofMinLength(1).ofMaxLength(20)
                .filter(text -> Character.isLetterOrDigit(text.charAt(0)));
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> tld = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz").ofMinLength(2).ofMaxLength(6);
        return Combinators.combine(local, label.list().ofMinSize(1).ofMaxSize(3), tld)
                .as((user, labels, top) -> user + "@" + String.join(".", labels) + "." + top);
    }

    @Provide
    Arbitrary<String> phones() {
        Arbitrary<List<String>> groups = Arbitraries.strings().numeric().ofMinLength(2).ofMaxLength(4).list().ofMinSize(2).ofMaxSize(4)
                .filter(parts -> {
                    int digits = parts.stream().mapToInt(String::length).sum();
                    return digits >= 7 && digits <= 14;
                });
        Arbitrary<String> separator = Arbitraries.of(" ", "-", ".");
        Arbitrary<String> prefix = Arbitraries.of("+", "");
        return Combinators.combine(prefix, Arbitraries.integers().between(1, 9), groups, separator)
                .as((plus, first, parts, sep) -> plus + first + sep + String.join(sep, parts))
                .filter(phone -> !phone.matches("\\d{4}-\\d{2}-\\d{2}"));
    }

    @Provide
    Arbitrary<String> hostile() {
        int size = 100_000;
        return Arbitraries.of(
                "a".repeat(size),
                "1".repeat(size),
                "1-".repeat(size / 2),
                "1 ".repeat(size / 2),
                "a.".repeat(size / 2),
                "a@".repeat(size / 2),
                "a@a.".repeat(size / 4),
                "DE89 ".repeat(size / 5),
                "+(".repeat(size / 2),
                "ab1".repeat(size / 3));
    }

    private static String withLuhnDigit(String digits) {
        for (int check = 0; check <= 9; check++) {
            if (Redactor.luhnValid(digits + check)) {
                return digits + check;
            }
        }
        throw new IllegalStateException("no Luhn digit for " + digits);
    }

    private static String checkDigits(String country, String bban) {
        StringBuilder numeric = new StringBuilder();
        for (char c : (bban + country + "00").toCharArray()) {
            numeric.append(Character.digit(c, 36));
        }
        int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        return String.format("%02d", check);
    }

    private static String group(String text, int size, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += size) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(text, i, Math.min(text.length(), i + size));
        }
        return out.toString();
    }
}
