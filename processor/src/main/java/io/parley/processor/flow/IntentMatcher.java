package io.parley.processor.flow;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises intents in message text by their rules: intents are tried by descending priority
 * (file order among equals); within an intent, patterns first (they can fill slots), then keywords.
 *
 * <p>Every match runs on RE2/J, whose time is linear in the text whatever the pattern: a message
 * of 100 kB of letters stalled a partition for minutes under backtracking matching.
 */
public final class IntentMatcher {

    private final List<Rules> rules;

    public IntentMatcher(List<IntentDefinition> intents) {
        List<Rules> ordered = new ArrayList<>();
        for (IntentDefinition intent : intents) {
            List<Pattern> keywords = intent.keywords().stream().map(IntentMatcher::keywordPattern).toList();
            ordered.add(new Rules(intent, keywords));
        }
        // A stable sort keeps file order among intents of equal priority.
        ordered.sort(Comparator.comparingInt((Rules r) -> r.intent().priority()).reversed());
        this.rules = List.copyOf(ordered);
    }

    /** The intent of the message, if a rule recognises one. */
    public Optional<IntentMatch> match(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        for (Rules rule : rules) {
            for (Pattern pattern : rule.intent().patterns()) {
                Matcher matcher = pattern.matcher(text);
                if (matcher.find()) {
                    return Optional.of(new IntentMatch(rule.intent(), slotsFrom(pattern, matcher), "pattern"));
                }
            }
            for (Pattern keyword : rule.keywords()) {
                if (keyword.matcher(text).find()) {
                    return Optional.of(new IntentMatch(rule.intent(), Map.of(), "keyword"));
                }
            }
        }
        return Optional.empty();
    }

    /** The names of a pattern's named groups, in the order of the groups. */
    public static Set<String> groupNames(Pattern pattern) {
        Set<String> names = new LinkedHashSet<>();
        pattern.namedGroups().entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .forEach(group -> names.add(group.getKey()));
        return names;
    }

    private static Map<String, String> slotsFrom(Pattern pattern, Matcher matcher) {
        Map<String, String> slots = new LinkedHashMap<>();
        for (String group : groupNames(pattern)) {
            String value = matcher.group(group);
            if (value != null && !value.isBlank()) {
                slots.put(group, value.strip());
            }
        }
        return slots;
    }

    /**
     * A keyword matches as whole words in any case, with any run of spaces between its words. RE2
     * has no look-around: the characters on either side (or the text's ends) are part of the match.
     */
    private static Pattern keywordPattern(String keyword) {
        String[] words = keyword.strip().split("\\s+");
        StringBuilder regex = new StringBuilder("(?:^|[^\\p{L}\\p{N}])");
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                regex.append("\\s+");
            }
            regex.append(Pattern.quote(words[i]));
        }
        regex.append("(?:$|[^\\p{L}\\p{N}])");
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    private record Rules(IntentDefinition intent, List<Pattern> keywords) {
    }
}
