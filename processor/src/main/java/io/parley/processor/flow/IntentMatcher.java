package io.parley.processor.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises intents in message text by their rules: intents are tried by descending priority
 * (file order among equals); within an intent, patterns first (they can fill slots), then keywords.
 */
public final class IntentMatcher {

    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

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

    /** The names of a pattern's named groups, in order. */
    public static Set<String> groupNames(Pattern pattern) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = NAMED_GROUP.matcher(pattern.pattern());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
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

    /** A keyword matches as whole words in any case, with any run of spaces between its words. */
    private static Pattern keywordPattern(String keyword) {
        String[] words = keyword.strip().split("\\s+");
        StringBuilder regex = new StringBuilder("(?<![\\p{L}\\p{N}])");
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                regex.append("\\s+");
            }
            regex.append(Pattern.quote(words[i]));
        }
        regex.append("(?![\\p{L}\\p{N}])");
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    private record Rules(IntentDefinition intent, List<Pattern> keywords) {
    }
}
