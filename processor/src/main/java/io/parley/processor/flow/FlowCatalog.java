package io.parley.processor.flow;

import io.parley.processor.nlu.Confidence;
import java.util.Collections;
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
    private final Map<String, IntentDefinition> byTitle;
    private final Optional<ExampleClassifier> examples;
    private final Map<String, ResultFields> resultFields;
    private final Map<String, TableDefinition> tables;
    private final EntityMatcher entities;

    FlowCatalog(List<IntentDefinition> intents, Optional<IntentDefinition> sessionStart,
                Optional<ClassifierDefinition> classifier, FlowTexts texts, Set<String> cancelWords, String version,
                Confidence confidence, List<String> outOfScope, Map<String, TableDefinition> tables,
                Map<String, EntityList> entities) {
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
        Map<String, IntentDefinition> titles = new LinkedHashMap<>();
        intents.forEach(intent -> titles.putIfAbsent(intent.title().toLowerCase(Locale.ROOT), intent));
        this.byTitle = titles;
        this.examples = ExampleClassifier.train(intents, confidence, outOfScope);
        Map<String, ResultFields> fields = new LinkedHashMap<>();
        intents.forEach(intent -> fields.put(intent.name(), ResultFields.of(intent, texts)));
        this.resultFields = fields;
        this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        this.entities = new EntityMatcher(entities, tables);
    }

    private FlowCatalog(FlowCatalog other, String version) {
        this.intents = other.intents;
        this.byName = other.byName;
        this.matcher = other.matcher;
        this.sessionStart = other.sessionStart;
        this.classifier = other.classifier;
        this.texts = other.texts;
        this.cancelWords = other.cancelWords;
        this.version = version;
        this.byTitle = other.byTitle;
        this.examples = other.examples;
        this.resultFields = other.resultFields;
        this.tables = other.tables;
        this.entities = other.entities;
    }

    /** The same flows under another version name (a published flow set names its version). */
    public FlowCatalog withVersion(String newVersion) {
        return new FlowCatalog(this, java.util.Objects.requireNonNull(newVersion, "newVersion"));
    }

    /** The reference tables the flows declare, by name, in file order. */
    public Map<String, TableDefinition> tables() {
        return tables;
    }

    /** Finds the values of entity lists and table names in messages. */
    public EntityMatcher entities() {
        return entities;
    }

    /**
     * The top-level fields of a call's result the intent reads (empty: keep it whole). A call of an
     * intent that is no longer defined keeps nothing of its result.
     */
    public Optional<Set<String>> resultFields(String intent, String call) {
        ResultFields fields = intent == null ? null : resultFields.get(intent);
        return fields == null ? Optional.of(Set.of()) : fields.of(call);
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

    /**
     * What a message asks for: an intent named by its exact title (a quick reply the user tapped),
     * else by the rules, else by the built-in classifier trained on the intents' examples.
     */
    public Understanding understand(String text) {
        if (text == null || text.isBlank()) {
            return new Understanding.NotUnderstood("rules", List.of());
        }
        IntentDefinition titled = byTitle.get(text.strip().toLowerCase(Locale.ROOT));
        if (titled != null) {
            return new Understanding.Matched(new IntentMatch(titled, Map.of(), "title"));
        }
        Optional<IntentMatch> rule = matcher.match(text);
        if (rule.isPresent()) {
            return new Understanding.Matched(rule.get());
        }
        return examples.map(classifier -> classifier.understand(text))
                .orElseGet(() -> new Understanding.NotUnderstood("rules", List.of()));
    }

    /** The built-in classifier's fingerprint, when the flows have examples to train one. */
    public Optional<String> classifierModel() {
        return examples.map(ExampleClassifier::fingerprint);
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
