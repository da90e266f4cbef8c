package io.parley.runtime.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a text where a number pattern of the {@link Redactor} can match: runs of ASCII digits (RE2's
 * {@code \d}) in which each digit follows the previous one after at most {@code maxGap} separator characters, with
 * at least {@code minDigits} digits, widened by the characters the pattern may take before the first digit and after
 * the last. Every match of such a pattern lies within one window, since the digits it takes are consecutive digits
 * of the text with only separators between them.
 *
 * @param minDigits the fewest digits a match has
 * @param separators the characters that may stand between two digits of a match
 * @param maxGap how many separators at most stand between two digits of a match
 * @param before how many characters a match may take before its first digit
 * @param after how many characters a match may take after its last digit
 * @param inert the runs long enough in which the pattern can change nothing, which get no window
 */
record DigitRuns(int minDigits, String separators, int maxGap, int before, int after, Inert inert) {

    /** A run, from its first digit to its last, in which the pattern can change nothing. */
    interface Inert {
        /** No run: the pattern may change any run long enough. */
        Inert NONE = (text, firstDigit, lastDigit) -> false;

        boolean test(String text, int firstDigit, int lastDigit);
    }

    /**
     * The windows of {@code text} as {@code [start, end)} pairs in text order; windows that overlap or touch are
     * joined, so that no match is cut in two. Linear in the text.
     */
    List<int[]> windows(String text) {
        List<int[]> windows = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (!Redactor.isAsciiDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int first = i;
            int last = i;
            int digits = 1;
            int next = nextDigitOfRun(text, last);
            while (next >= 0) {
                last = next;
                digits++;
                next = nextDigitOfRun(text, last);
            }
            if (digits >= minDigits && !inert.test(text, first, last)) {
                int start = codePointStart(text, Math.max(0, first - before));
                add(windows, start, codePointEnd(text, Math.min(text.length(), last + 1 + after)));
            }
            i = last + 1;
        }
        return windows;
    }

    /** The digit that continues the run after the digit at {@code digit}, or -1 where the run ends. */
    private int nextDigitOfRun(String text, int digit) {
        for (int j = digit + 1; j < text.length() && j <= digit + 1 + maxGap; j++) {
            char c = text.charAt(j);
            if (Redactor.isAsciiDigit(c)) {
                return j;
            }
            if (separators.indexOf(c) < 0) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * A window starts on a whole character: the pattern reads code points, and half of a pair (a letter or digit
     * outside the BMP before the run) would read as neither, where the whole one may stop a match.
     */
    private static int codePointStart(String text, int start) {
        return start > 0 && Character.isLowSurrogate(text.charAt(start)) && Character.isHighSurrogate(text.charAt(start - 1))
                ? start - 1 : start;
    }

    /** A window ends after a whole character, for the same reason (a digit outside the BMP after the run ends no match). */
    private static int codePointEnd(String text, int end) {
        return end < text.length() && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))
                ? end + 1 : end;
    }

    private static void add(List<int[]> windows, int start, int end) {
        if (!windows.isEmpty()) {
            int[] previous = windows.get(windows.size() - 1);
            if (start <= previous[1]) {
                previous[1] = Math.max(previous[1], end);
                return;
            }
        }
        windows.add(new int[] {start, end});
    }
}
