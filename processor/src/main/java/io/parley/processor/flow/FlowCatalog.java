package io.parley.processor.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * All flows the processor serves, loaded and validated from the flow files by {@link FlowLoader}.
 * Immutable; shared by every stream thread.
 */
public final class FlowCatalog {

    private final List<IntentDefinition> intents;
    private final Map<String, IntentDefinition> byName;
    private final IntentMatcher matcher;
    private final Optional<IntentDefinition> sessionStart;
    private final Optional<ClassifierDefinition> classifier;
    private final FlowTexts texts;
    private final Set<String> cancelWords;
    private final String version;

    FlowCatalog(List<IntentDefinition> intents, Optional<IntentDefinition> sessionStart,
                Optional<ClassifierDefinition> classifier, FlowTexts texts, Set<String> cancelWords, String version) {
        this.intents = List.copyOf(intents);
        Map<String, IntentDefinition> names = new LinkedHashMap<>();
        intents.forEach(intent -> names.put(intent.name(), intent));
        this.byName = names;
        this.matcher = new IntentMatcher(intents);
        this.sessionStart = sessionStart;
        this.classifier = classifier;
        this.texts = texts;
        this.cancelWords = cancelWords.stream().map(word -> word.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.version = version;
    }

    /** The intents in file order. */
    public List<IntentDefinition> intents() {
        return intents;
    }

    public Optional<IntentDefinition> intent(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The intent a message asks for, by the rules of the flows. */
    public Optional<IntentMatch> match(String text) {
        return matcher.match(text);
    }

    /** The intent run when a session starts (typically a greeting), if any. */
    public Optional<IntentDefinition> sessionStart() {
        return sessionStart;
    }

    /** The classifier asked when no rule matches, if any. */
    public Optional<ClassifierDefinition> classifier() {
        return classifier;
    }

    public FlowTexts texts() {
        return texts;
    }

    /** Whether the message asks to abandon the current question. */
    public boolean isCancel(String text) {
        return text != null && cancelWords.contains(text.strip().toLowerCase(Locale.ROOT));
    }

    /** Names the flow files and their versions; stored in sessions. */
    public String version() {
        return version;
    }
}
