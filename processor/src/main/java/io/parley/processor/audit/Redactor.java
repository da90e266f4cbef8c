package io.parley.processor.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in free text before it reaches the audit stream: e-mail addresses, IBANs,
 * payment card numbers (digit runs of 13–19 digits that pass the Luhn check) and phone numbers.
 * Order matters: IBANs and cards contain digit runs that would otherwise be taken for phone numbers.
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
            "(?<![\\p{L}\\p{N}])[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\\p{L}\\p{N}])");

    /** 13 to 19 digits, optionally grouped by single spaces or dashes. */
    private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\p{N}])\\d(?:[ -]?\\d){12,18}(?![\\p{N}])");
    /** An optional +, then at least 7 digits with the usual separators; at most 15 digits (E.164). */
    private static final Pattern PHONE = Pattern.compile("(?<![\\p{L}\\p{N}+])\\+?\\(?\\d(?:[ ().-]{0,2}\\d){6,14}(?![\\p{N}])");

    /** The text with personal data masked; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = EMAIL.matcher(text).replaceAll(EMAIL_MASK);
        masked = IBAN.matcher(masked).replaceAll(IBAN_MASK);
        masked = maskCards(masked);
        return PHONE.matcher(masked).replaceAll(PHONE_MASK);
    }

    private static String maskCards(String text) {
        Matcher matcher = CARD_CANDIDATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String digits = matcher.group().replaceAll("[ -]", "");
            matcher.appendReplacement(out, Matcher.quoteReplacement(luhnValid(digits) ? CARD_MASK : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
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
