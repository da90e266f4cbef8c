package io.parley.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guardrail of a phrased reply: every number and every quoted value in the reply must come from
 * the backend results it was phrased from. A number counts as found when a number in the results
 * has the same value (12.5 and 12.50) or a text in the results contains it (the 2026 of a date, the
 * 1001 of ORD-1001); a quoted value when a text in the results contains it, ignoring case. What a
 * violation says names the kind of fact only, never the value (it reaches logs and topics).
 */
final class FactGuard {

    /** Digits, with thousands separators and a decimal part allowed (1,299.50). */
    private static final Pattern NUMBER = Pattern.compile("(?<![\\p{L}\\d])\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"\\n]{1,200})\"|“([^”\\n]{1,200})”|«([^»\\n]{1,200})»");

    private final List<BigDecimal> numbers = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    private FactGuard(JsonNode results) {
        collect(results);
    }

    /** Why the reply is refused, or empty when every number and quoted value in it is in the results. */
    static Optional<String> check(String reply, JsonNode results) {
        return new FactGuard(results).violation(reply);
    }

    private void collect(JsonNode node) {
        if (node.isNumber()) {
            numbers.add(node.decimalValue());
            texts.add(node.asText());
        } else if (node.isTextual() || node.isBoolean()) {
            texts.add(node.asText().toLowerCase(Locale.ROOT));
        } else if (node.isContainerNode()) {
            node.fields().forEachRemaining(field -> texts.add(field.getKey().toLowerCase(Locale.ROOT)));
            node.elements().forEachRemaining(this::collect);
        }
    }

    private Optional<String> violation(String reply) {
        Matcher quoted = QUOTED.matcher(reply);
        while (quoted.find()) {
            String value = firstGroup(quoted).strip().toLowerCase(Locale.ROOT);
            if (!value.isEmpty() && texts.stream().noneMatch(text -> text.contains(value))) {
                return Optional.of("the reply quotes a value that is not in the results");
            }
        }
        Matcher number = NUMBER.matcher(reply);
        while (number.find()) {
            if (!known(number.group())) {
                return Optional.of("the reply states a number that is not in the results");
            }
        }
        return Optional.empty();
    }

    private boolean known(String number) {
        if (texts.stream().anyMatch(text -> text.contains(number))) {
            return true;
        }
        BigDecimal value = new BigDecimal(number.replace(",", ""));
        return numbers.stream().anyMatch(known -> known.compareTo(value) == 0);
    }

    private static String firstGroup(Matcher matcher) {
        for (int group = 1; group <= matcher.groupCount(); group++) {
            if (matcher.group(group) != null) {
                return matcher.group(group);
            }
        }
        return "";
    }
}
