package io.parley.runtime;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/** Durations as people write them in configuration: {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601 ({@code PT2S}). */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param where names the setting (file and field) for the error message
     * @throws ConfigException naming {@code where} and the value when it is not a duration or is negative
     */
    public static Duration parse(String where, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(where + ": a duration is required (for example 250ms, 2s, 5m)");
        }
        String trimmed = text.trim();
        Matcher matcher = SHORT.matcher(trimmed);
        Duration duration;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                duration = Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new ConfigException(where + ": '" + text + "' is not a duration (use for example 250ms, 2s, 5m, 1h or PT2S)");
            }
        }
        if (duration.isNegative()) {
            throw new ConfigException(where + ": '" + text + "' is negative; durations must be zero or more");
        }
        return duration;
    }
}
