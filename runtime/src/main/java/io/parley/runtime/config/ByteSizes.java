package io.parley.runtime.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/** Memory sizes as people write them in configuration: {@code 134217728}, {@code 512KiB}, {@code 128MiB}, {@code 1GiB} (also KB, MB, GB, meaning the same powers of 1024). */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|kb|k|mib|mb|m|gib|gb|g)?");

    private ByteSizes() {
    }

    /**
     * @param where names the setting (file and field) for the error message
     * @throws ConfigException naming {@code where} and the value when it is not a size
     */
    public static long parse(String where, String text) {
        Matcher matcher = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new ConfigException(where + ": '" + text + "' is not a size (use for example 64MiB, 1GiB or a number of bytes)");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        return Math.multiplyExact(amount, factor);
    }
}
