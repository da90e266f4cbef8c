package io.parley.runtime.audit;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Masks personal data in free text before it reaches the audit stream: e-mail addresses, IBANs
 * (in any case, when their mod-97 check holds), payment card numbers (digit runs of 13–19 digits
 * that pass the Luhn check) and phone numbers. Order matters: IBANs and cards contain digit runs
 * that would otherwise be taken for phone numbers. ISO dates look like phone numbers to a pattern
 * and are left alone.
 *
 * <p>Every pattern runs on RE2/J, in time linear in the text, whatever a user sends. RE2 has no
 * look-around, so a pattern that must not start or end inside a run of letters or digits takes the
 * character on either side as part of its match ({@code LEAD(value)TRAIL}); the text is padded with
 * a space at both ends so its first and last characters have one, and the next search starts where
 * the value ended, so that character can lead the next match.
 */
public final class Redactor {

    static final String EMAIL_MASK = "[email]";
    static final String IBAN_MASK = "[iban]";
    static final String CARD_MASK = "[card]";
    static final String PHONE_MASK = "[phone]";

    /**
     * An address: the leftmost match starts where a run of address characters starts, as RE2 finds
     * the leftmost match in one pass.
     */
    private static final Pattern EMAIL = Pattern.compile(
            "[^\\p{L}\\p{N}._%+-]([\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}.-]+\\.[\\p{L}]{2,})");
    /**
     * Country code and check digits, then groups of four capitals or digits (optionally separated by
     * single spaces, as IBANs are printed) and a shorter last group: 12 to 30 characters after the check digits.
     */
    private static final Pattern IBAN = Pattern.compile(
            "[^\\p{L}\\p{N}]([A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?)[^\\p{L}\\p{N}]",
            Pattern.CASE_INSENSITIVE);

    /** 13 to 19 digits, optionally grouped by single spaces or dashes. */
    private static final Pattern CARD_CANDIDATE = Pattern.compile("[^\\p{N}](\\d(?:[ -]?\\d){12,18})[^\\p{N}]");
    /** An optional +, then at least 7 digits with the usual separators; at most 15 digits (E.164). */
    private static final Pattern PHONE = Pattern.compile("[^\\p{L}\\p{N}+](\\+?\\(?\\d(?:[ ().-]{0,2}\\d){6,14})[^\\p{N}]");
    /** What separates the printed groups of an IBAN or a card number. */
    private static final Pattern GROUP_SEPARATOR = Pattern.compile("[ -]");
    private static final Pattern IBAN_SHAPE = Pattern.compile("[A-Za-z]{2}\\d{2}[A-Za-z0-9]{11,30}");

    /**
     * Where {@link #CARD_CANDIDATE} can match: 13 or more digits apart by at most one space or dash, with the
     * character before and after.
     */
    private static final DigitRuns CARD_RUNS = new DigitRuns(13, " -", 1, 1, 1, DigitRuns.Inert.NONE);
    /**
     * Where {@link #PHONE} can match: 7 or more digits apart by at most two of {@code ( ) . -} and space, with the
     * three characters before ({@code +}, {@code (} and the one leading) and the one after; not around a bare ISO
     * date, which the pattern leaves as it is ({@link #isBareIsoDate}).
     */
    private static final DigitRuns PHONE_RUNS = new DigitRuns(7, " ().-", 2, 3, 1, Redactor::isBareIsoDate);

    /** The text with personal data masked; {@code null} stays {@code null}. */
    public String redact(String text) {
        return redact(text, true);
    }

    /**
     * Each pattern runs only where a match of it can be: on a text with an {@code @} (addresses), with two letters
     * followed by two digits (IBANs), and, for card and phone numbers, only around runs of enough digits
     * ({@link DigitRuns}). Most chat text has none of them, and matching was most of what redaction cost (bench S2
     * profiles). The checks are exact, so the result is the same as running every pattern on the whole text
     * ({@code shortcuts=false}, which the tests compare against).
     */
    static String redact(String text, boolean shortcuts) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        if (!shortcuts || masked.indexOf('@') >= 0) {
            masked = mask(masked, EMAIL, address -> EMAIL_MASK);
        }
        if (!shortcuts || hasTwoLettersThenTwoDigits(masked)) {
            masked = mask(masked, IBAN, candidate -> maskWithin(candidate, Redactor::isIban, IBAN_MASK));
        }
        UnaryOperator<String> card = candidate -> maskWithin(candidate, Redactor::isCard, CARD_MASK);
        masked = shortcuts ? maskWithinRuns(masked, CARD_CANDIDATE, CARD_RUNS, card) : mask(masked, CARD_CANDIDATE, card);
        UnaryOperator<String> phone = candidate -> isIsoDate(candidate) ? candidate : PHONE_MASK;
        masked = shortcuts ? maskWithinRuns(masked, PHONE, PHONE_RUNS, phone) : mask(masked, PHONE, phone);
        return masked;
    }

    /** Where an IBAN match must start: {@code [A-Z]{2}\d{2}}, case-insensitive. */
    private static boolean hasTwoLettersThenTwoDigits(String text) {
        for (int i = 0; i + 3 < text.length(); i++) {
            if (isAsciiDigit(text.charAt(i + 2)) && isAsciiDigit(text.charAt(i + 3))
                    && foldsToAsciiLetter(text.charAt(i)) && foldsToAsciiLetter(text.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** RE2's {@code \d}: ASCII digits only. */
    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * What {@code [A-Z]} matches case-insensitively in RE2: the ASCII letters and the two characters whose simple
     * case folding leads to one (the long s, U+017F, and the Kelvin sign, U+212A).
     */
    private static boolean foldsToAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '\u017F' || c == '\u212A';
    }

    /**
     * Replaces the value (group 1) of each match of {@code pattern} by what {@code masking} makes of
     * it; the characters around it stay.
     */
    private static String mask(String text, Pattern pattern, UnaryOperator<String> masking) {
        String padded = " " + text + " ";
        return maskInWindows(padded, List.of(new int[] {0, padded.length()}), pattern, masking);
    }

    /**
     * {@link #mask}, with the pattern run only on the parts of the text where its digits can be ({@link DigitRuns}):
     * a reply with an order number, an amount and a date has no run long enough for a card and one (the date) for a
     * phone number, and running the patterns over whole texts was most of what redaction cost (bench S2 profile).
     * The result is the same: a match lies within one run's window, and the leftmost match in a window is the
     * leftmost in the text, as the patterns have no anchors and no look-around.
     */
    private static String maskWithinRuns(String text, Pattern pattern, DigitRuns runs, UnaryOperator<String> masking) {
        String padded = " " + text + " ";
        List<int[]> windows = runs.windows(padded);
        return windows.isEmpty() ? text : maskInWindows(padded, windows, pattern, masking);
    }

    /**
     * The text inside {@code padded} (a space at both ends) with the value of each match that lies in one of the
     * {@code windows} masked. Each search starts where the last value ended, so the character after a value can lead
     * the next match.
     */
    private static String maskInWindows(String padded, List<int[]> windows, Pattern pattern, UnaryOperator<String> masking) {
        StringBuilder out = new StringBuilder(padded.length());
        int copied = 1;
        int searched = 0;
        for (int[] window : windows) {
            int start = window[0];
            String part = padded.substring(start, window[1]);
            Matcher matcher = pattern.matcher(part);
            int from = Math.max(0, searched - start);
            while (from < part.length() && matcher.find(from)) {
                out.append(padded, copied, start + matcher.start(1)).append(masking.apply(matcher.group(1)));
                copied = start + matcher.end(1);
                searched = copied;
                from = matcher.end(1);
            }
        }
        out.append(padded, copied, padded.length() - 1);
        return out.toString();
    }

    /**
     * Masks the candidate, or the longest runs of its groups that are confirmed. A pattern takes in
     * whatever groups stand next to a number ("order #1 4111 1111 1111 1111", an IBAN followed by a
     * short word), which then fails its check as a whole although the number inside it is real.
     */
    static String maskWithin(String candidate, Predicate<String> confirmed, String replacement) {
        if (confirmed.test(candidate)) {
            return replacement;
        }
        List<String> groups = new ArrayList<>();
        List<String> separators = new ArrayList<>();
        Matcher separator = GROUP_SEPARATOR.matcher(candidate);
        int start = 0;
        while (separator.find()) {
            groups.add(candidate.substring(start, separator.start()));
            separators.add(separator.group());
            start = separator.end();
        }
        groups.add(candidate.substring(start));
        StringBuilder out = new StringBuilder();
        int first = 0;
        while (first < groups.size()) {
            int last = groups.size() - 1;
            while (last > first && !confirmed.test(join(groups, separators, first, last))) {
                last--;
            }
            String run = join(groups, separators, first, last);
            boolean real = confirmed.test(run);
            out.append(real ? replacement : groups.get(first));
            int next = real ? last + 1 : first + 1;
            if (next < groups.size()) {
                out.append(separators.get(next - 1));
            }
            first = next;
        }
        return out.toString();
    }

    private static String join(List<String> groups, List<String> separators, int first, int last) {
        StringBuilder run = new StringBuilder(groups.get(first));
        for (int i = first + 1; i <= last; i++) {
            run.append(separators.get(i - 1)).append(groups.get(i));
        }
        return run.toString();
    }

    /** An IBAN as printed: country letters, check digits, 11 to 30 more letters or digits, and its mod-97 check. */
    static boolean isIban(String candidate) {
        String compact = candidate.replace(" ", "");
        return IBAN_SHAPE.matcher(compact).matches() && ibanValid(compact);
    }

    /**
     * A run of digits that is an ISO date and nothing more, with no {@code (} or {@code +} right before it, which the
     * phone pattern leaves as it is (the most common number in replies: "placed on 2026-11-20"). A match takes at
     * least 7 of the run's 8 digits, and cannot start at its second digit (the character before a match is no
     * digit), nor end before its last (the character after a match is no digit): it is the date itself, or an
     * opening {@code (} or {@code +} and the date, which is no date and is masked.
     */
    static boolean isBareIsoDate(String text, int firstDigit, int lastDigit) {
        if (lastDigit - firstDigit != 9 || !isIsoDate(text.substring(firstDigit, lastDigit + 1))) {
            return false;
        }
        char before = firstDigit == 0 ? ' ' : text.charAt(firstDigit - 1);
        return before != '(' && before != '+';
    }

    /** A calendar date as systems print it (2026-11-20, {@code \d{4}-\d{2}-\d{2}}), which the phone pattern also takes. */
    static boolean isIsoDate(String candidate) {
        if (candidate.length() != 10 || candidate.charAt(4) != '-' || candidate.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            if (i != 4 && i != 7 && !isAsciiDigit(candidate.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A payment card number: 13 to 19 digits passing the Luhn check. */
    static boolean isCard(String candidate) {
        String digits = candidate.replace(" ", "").replace("-", "");
        return digits.length() >= 13 && digits.length() <= 19 && luhnValid(digits);
    }

    /** The ISO 13616 check: the country code and check digits moved to the end, letters as numbers, mod 97 is 1. */
    static boolean ibanValid(String iban) {
        String rearranged = (iban.substring(4) + iban.substring(0, 4)).toUpperCase(Locale.ROOT);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            int value = Character.digit(rearranged.charAt(i), 36);
            if (value < 0) {
                return false;
            }
            remainder = (value < 10 ? remainder * 10 : remainder * 100) + value;
            remainder %= 97;
        }
        return remainder == 1;
    }

    /** The Luhn checksum used by payment card numbers. */
    static boolean luhnValid(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
