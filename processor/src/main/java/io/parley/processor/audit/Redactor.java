package io.parley.processor.audit;

import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in free text before it reaches the audit stream: e-mail addresses, IBANs
 * (in any case, when their mod-97 check holds), payment card numbers (digit runs of 13–19 digits
 * that pass the Luhn check) and phone numbers. Order matters: IBANs and cards contain digit runs
 * that would otherwise be taken for phone numbers. ISO dates look like phone numbers to a pattern
 * and are left alone.
 */
public final class Redactor {

    static final String EMAIL_MASK = "[email]";
    static final String IBAN_MASK = "[iban]";
    static final String CARD_MASK = "[card]";
    static final String PHONE_MASK = "[phone]";

    private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}.-]+\\.[\\p{L}]{2,}");
    /**
     * Country code and check digits, then groups of four capitals or digits (optionally separated by
     * single spaces, as IBANs are printed) and a shorter last group: 12 to 30 characters after the check digits.
     */
    private static final Pattern IBAN = Pattern.compile(
            "(?<![\\p{L}\\p{N}])[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\\p{L}\\p{N}])",
            Pattern.CASE_INSENSITIVE);

    /** 13 to 19 digits, optionally grouped by single spaces or dashes. */
    private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\p{N}])\\d(?:[ -]?\\d){12,18}(?![\\p{N}])");
    /** An optional +, then at least 7 digits with the usual separators; at most 15 digits (E.164). */
    private static final Pattern PHONE = Pattern.compile("(?<![\\p{L}\\p{N}+])\\+?\\(?\\d(?:[ ().-]{0,2}\\d){6,14}(?![\\p{N}])");
    /** A calendar date as systems print it (2026-11-20), which the phone pattern would also take. */
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** The text with personal data masked; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = EMAIL.matcher(text).replaceAll(EMAIL_MASK);
        masked = mask(masked, IBAN, candidate -> ibanValid(candidate.replace(" ", "")), IBAN_MASK);
        masked = mask(masked, CARD_CANDIDATE, candidate -> luhnValid(candidate.replaceAll("[ -]", "")), CARD_MASK);
        return mask(masked, PHONE, candidate -> !ISO_DATE.matcher(candidate).matches(), PHONE_MASK);
    }

    /** Replaces the matches of {@code pattern} that {@code confirmed} accepts. */
    private static String mask(String text, Pattern pattern, Predicate<String> confirmed, String replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(confirmed.test(matcher.group()) ? replacement : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
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
