package io.parley.bench.report;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Formats figures for people: grouped thousands, fewer decimals as numbers grow. */
public final class Figures {

    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);

    private Figures() {
    }

    /** A number with a precision that suits its size: 1.23, 12.3, 1,234. */
    public static String number(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 1000 ? "#,##0" : magnitude >= 10 ? "#,##0.0" : "#,##0.00";
        return new DecimalFormat(pattern, SYMBOLS).format(value);
    }

    /** A whole count with grouped thousands: 100,000. */
    public static String count(long value) {
        return new DecimalFormat("#,##0", SYMBOLS).format(value);
    }

    /** A number with its unit; ratios are written 123.4×. */
    public static String withUnit(double value, String unit) {
        return "×".equals(unit) ? number(value) + "×" : number(value) + " " + unit;
    }

    /** A target such as "≥ 5,000 turns/s" or "≤ 50 ms": thresholds are round, so no forced decimals. */
    public static String target(Target target, String unit) {
        String threshold = new DecimalFormat("#,##0.##", SYMBOLS).format(target.threshold());
        return target.comparison().symbol() + " " + ("×".equals(unit) ? threshold + "×" : threshold + " " + unit);
    }

    /** A duration as people write it: 200 ms, 30 s, 1.5 s. */
    public static String duration(java.time.Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        return millis % 1_000 == 0 ? millis / 1_000 + " s" : number(millis / 1_000.0) + " s";
    }

    /** A share as a percentage with one decimal: 0.053 is 5.3 %. */
    public static String percent(double share) {
        return new DecimalFormat("#,##0.0", SYMBOLS).format(share * 100) + " %";
    }

    /** Bytes in binary megabytes, the unit of the memory targets. */
    public static double mebibytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
