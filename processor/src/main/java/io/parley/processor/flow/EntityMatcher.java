package io.parley.processor.flow;

import io.parley.processor.tables.EntityText;
import io.parley.processor.tables.ReferenceTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds an entity's value in a message: the longest phrase of the entity found in the message wins,
 * then the leftmost, then (for a table whose rows share a name) the smallest key. Case, diacritics
 * and punctuation do not matter. Entities are the flows' entity lists and the reference tables that
 * declare name columns.
 */
public final class EntityMatcher {

    /** The longest table phrase looked for, in words (table phrases are not known in advance). */
    static final int TABLE_PHRASE_WORDS = 6;

    private final Map<String, Map<String, String>> lists;
    private final Map<String, Integer> longest;
    private final Map<String, TableDefinition> tables;

    EntityMatcher(Map<String, EntityList> lists, Map<String, TableDefinition> tables) {
        this.lists = new HashMap<>();
        this.longest = new HashMap<>();
        lists.forEach((name, list) -> {
            Map<String, String> phrases = new HashMap<>();
            int words = 0;
            for (EntityList.Value value : list.values()) {
                for (String phrase : phrasesOf(value)) {
                    phrases.putIfAbsent(phrase, value.value());
                    words = Math.max(words, phrase.split(" ").length);
                }
            }
            this.lists.put(name, phrases);
            this.longest.put(name, words);
        });
        this.tables = Map.copyOf(tables);
    }

    /** The phrases that name a value: the value itself and its synonyms, normalised; blank ones left out. */
    static List<String> phrasesOf(EntityList.Value value) {
        List<String> phrases = new ArrayList<>();
        phrases.add(EntityText.phrase(value.value()));
        value.synonyms().forEach(synonym -> phrases.add(EntityText.phrase(synonym)));
        return phrases.stream().filter(p -> !p.isEmpty()).distinct().toList();
    }

    /** Whether an entity of this name exists (an entity list, or a table with name columns). */
    public boolean knows(String entity) {
        return lists.containsKey(entity) || (tables.containsKey(entity) && !tables.get(entity).names().isEmpty());
    }

    /** The value of the entity that the message names, if it names one. */
    public Optional<String> find(String entity, String text, ReferenceTables reference) {
        List<String> words = EntityText.words(text);
        Map<String, String> list = lists.get(entity);
        boolean table = list == null && tables.containsKey(entity);
        if (list == null && !table) {
            return Optional.empty();
        }
        int maxWords = Math.min(words.size(), table ? TABLE_PHRASE_WORDS : longest.getOrDefault(entity, 0));
        for (int length = maxWords; length >= 1; length--) {
            for (int start = 0; start + length <= words.size(); start++) {
                String phrase = String.join(" ", words.subList(start, start + length));
                if (table) {
                    List<String> keys = reference.keysNamed(entity, phrase);
                    if (!keys.isEmpty()) {
                        return Optional.of(keys.get(0));
                    }
                } else {
                    String value = list.get(phrase);
                    if (value != null) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
