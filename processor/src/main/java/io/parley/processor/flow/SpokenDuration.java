package io.parley.processor.flow;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A duration as a user writes it in a chat message: "for 3 hours", "30 min", "2h", "a day", "an hour", "half an
 * hour", "90 minutes". Used by {@code mute:} to hear how long the user asked for; a message without one leaves the
 * intent's default.
 */
public final class SpokenDuration {

    // RE2/J: linear in the message's length whatever the user sends. The amount and the unit stand as words of
    // their own; "1.5 hours" names no duration (a decimal is not read as its last digit).
    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile(
            "(?:^|[^\\p{L}\\p{N}.,])(?:(\\d{1,4})|(an?|one)|(half an?))\\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)(?:$|[^\\p{L}\\p{N}])");

    private SpokenDuration() {
    }

    /** The first duration the message names, or empty when it names none. */
    public static Optional<Duration> find(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher matcher = AMOUNT_AND_UNIT.matcher(message.toLowerCase(Locale.ROOT));
        if (!matcher.find()) {
            return Optional.empty();
        }
        Duration unit = unit(matcher.group(4));
        if (matcher.group(3) != null) {
            return Optional.of(unit.dividedBy(2));
        }
        long amount = matcher.group(1) != null ? Long.parseLong(matcher.group(1)) : 1;
        return amount == 0 ? Optional.empty() : Optional.of(unit.multipliedBy(amount));
    }

    /** "3 hours", "1 day", "90 minutes": how a reply says it (whole units, the largest that divides it). */
    public static String words(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes % (60 * 24) == 0) {
            return plural(minutes / (60 * 24), "day");
        }
        if (minutes % 60 == 0) {
            return plural(minutes / 60, "hour");
        }
        return plural(minutes, "minute");
    }

    private static String plural(long amount, String unit) {
        return amount + " " + unit + (amount == 1 ? "" : "s");
    }

    private static Duration unit(String unit) {
        return switch (unit.charAt(0)) {
            case 'm' -> Duration.ofMinutes(1);
            case 'h' -> Duration.ofHours(1);
            case 'd' -> Duration.ofDays(1);
            default -> Duration.ofDays(7);
        };
    }
}
