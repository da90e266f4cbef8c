package io.parley.bench.pipeline;

import java.util.Locale;

/** Heap sizes as the JVM's {@code -Xmx} spells them. */
public final class HeapSizes {

    private HeapSizes() {
    }

    /**
     * Bytes of {@code 512m}, {@code 2g}, {@code 65536k} or a plain byte count.
     *
     * @throws IllegalArgumentException naming the value when it is not a size
     */
    public static long parse(String size) {
        String text = size.strip().toLowerCase(Locale.ROOT);
        if (!text.matches("\\d{1,12}[kmgt]?")) {
            throw new IllegalArgumentException("Not a heap size as -Xmx takes it (512m, 2g): '" + size + "'");
        }
        char unit = text.charAt(text.length() - 1);
        int shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1);
        return Long.parseLong(digits) << shift;
    }
}
