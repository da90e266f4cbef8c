package io.parley.processor.flow;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.parley.processor.config.YamlSection;
import io.parley.schemas.BackendStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import io.parley.processor.nlu.Confidence;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads flow files and checks them completely before the processor starts: every error names
 * the file, the intent and the field ({@code demo-shop.yaml: intents[order-status].slots.orderId.pattern: ...}).
 * Checked: YAML structure and unknown keys, regular expressions, template syntax, slots used in
 * patterns and templates but not defined, results used before their call, connectors and
 * operations not declared, error statuses, timing.
 */
public final class FlowLoader {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*");
    private static final Set<String> ERROR_KEYS = errorKeys();
    /** Patterns match in any case (Unicode case folding in RE2). */
    private static final int REGEX_FLAGS = Pattern.CASE_INSENSITIVE;

    private static final Map<String, String> DEFAULT_TEXTS = Map.of(
            "noMatch", "Sorry, I didn't understand that. Could you rephrase it?",
            "cancelled", "OK, I've cancelled that.",
            "gaveUp", "Sorry, I still couldn't use that. Let's start over: what can I do for you?",
            "error", "Sorry, something went wrong on our side. Please try again.",
            "erased", "Your conversation data has been erased.",
            "interim", "Still working on it…",
            "fallback", "Sorry, this is taking longer than expected. Please try again in a moment.",
            "backendError", "Sorry, I couldn't get that information right now. Please try again later.",
            "didYouMean", "Did you mean one of these?",
            "tooLarge", "Sorry, that message is too long for me. Could you send a shorter one?");

    private final TemplateCompiler templates;
    private final Timing defaults;

    /**
     * @param defaults timing of intents that set none of their own (from the processor configuration)
     */
    public FlowLoader(TemplateCompiler templates, Timing defaults) {
        this.templates = templates;
        this.defaults = defaults;
    }

    /**
     * Loads and checks the flow files.
     *
     * @throws ConfigException naming the file, intent and field of the first problem found
     */
    public FlowCatalog load(List<FlowSource> sources) {
        if (sources.isEmpty()) {
            throw new ConfigException("No flow files are configured; set 'flows' to at least one file");
        }
        List<YamlSection> files = sources.stream().map(FlowLoader::parse).toList();
        Globals globals = new Globals();
        files.forEach(globals::read);
        FlowTexts texts = globals.texts();

        List<IntentDefinition> intents = new ArrayList<>();
        Map<String, String> definedIn = new LinkedHashMap<>();
        for (YamlSection file : files) {
            for (YamlSection item : file.sectionList("intents")) {
                IntentDefinition intent = readIntent(item, texts, globals);
                String earlier = definedIn.putIfAbsent(intent.name(), file.file());
                if (earlier != null) {
                    throw item.error("name", "intent '" + intent.name() + "' is already defined in " + earlier);
                }
                intents.add(intent);
            }
            file.rejectUnknownKeys();
        }
        globals.checkConnectorReferences();

        Map<String, IntentDefinition> byName = intents.stream()
                .collect(Collectors.toMap(IntentDefinition::name, intent -> intent));
        Optional<IntentDefinition> sessionStart = globals.sessionStart.map(ref -> {
            IntentDefinition intent = byName.get(ref.value());
            if (intent == null) {
                throw new ConfigException(ref.where() + ": unknown intent '" + ref.value() + "'; defined intents are " + byName.keySet());
            }
            return intent;
        });
        Set<String> cancelWords = globals.cancelWords.isEmpty() ? Set.of("cancel") : globals.cancelWords;
        String version = files.stream().map(f -> baseName(f.file()) + "@" + globals.versions.get(f.file()))
                .collect(Collectors.joining(","));
        return new FlowCatalog(intents, sessionStart, globals.classifier, texts, cancelWords, version, globals.confidence(), List.copyOf(globals.outOfScope));
    }

    private static YamlSection parse(FlowSource source) {
        try (InputStream in = source.open()) {
            return YamlSection.parse(source.label(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(source.label() + ": cannot read the flow file", e);
        }
    }

    private IntentDefinition readIntent(YamlSection item, FlowTexts texts, Globals globals) {
        String name = item.requiredString("name");
        YamlSection intent = item.relabel("intents[" + name + "]");
        int priority = intent.integer("priority", 0, -1000, 1000);
        List<String> keywords = intent.stringList("keywords");
        List<Pattern> patterns = readPatterns(intent);
        Map<String, SlotDefinition> slots = readSlots(intent);
        checkGroupsAreSlots(intent, patterns, slots.keySet());

        List<StepDefinition> steps = new ArrayList<>();
        Set<String> callsSoFar = new LinkedHashSet<>();
        List<YamlSection> stepSections = intent.sectionList("steps");
        for (YamlSection stepSection : stepSections) {
            steps.add(readStep(stepSection, slots.keySet(), callsSoFar, globals));
        }
        Template reply = template(intent, "reply", null);
        checkNames(reply, slots.keySet(), callsSoFar);
        Map<String, Template> errors = new LinkedHashMap<>();
        YamlSection errorSection = intent.section("errors");
        for (String status : errorSection.keys()) {
            if (!ERROR_KEYS.contains(status)) {
                throw errorSection.error(status, "unknown status; use one of " + new TreeSet<>(ERROR_KEYS));
            }
            Template errorReply = template(errorSection, status, null);
            checkNames(errorReply, slots.keySet(), callsSoFar);
            errors.put(status, errorReply);
        }
        Template interim = optionalTemplate(intent, "interim").orElse(texts.interim());
        Template fallback = optionalTemplate(intent, "fallback").orElse(texts.fallback());
        Template followUp = optionalTemplate(intent, "followUp").orElse(reply);
        checkNames(followUp, slots.keySet(), callsSoFar);
        Timing timing = readTiming(intent);
        String title = intent.optionalString("title").map(String::strip).orElseGet(() -> defaultTitle(name));
        List<String> examples = intent.stringList("examples");
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).isBlank()) {
                throw intent.error("examples[" + i + "]", "an example must not be blank");
            }
        }
        intent.rejectUnknownKeys();
        return new IntentDefinition(name, priority, keywords, patterns, slots, steps, reply, errors, interim, fallback,
                followUp, timing, title, examples);
    }

    /** "order-status" → "Order status". */
    private static String defaultTitle(String name) {
        String words = name.replace('-', ' ').replace('_', ' ').strip();
        return words.isEmpty() ? name : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static List<Pattern> readPatterns(YamlSection intent) {
        List<Pattern> patterns = new ArrayList<>();
        List<String> sources = intent.stringList("patterns");
        for (int i = 0; i < sources.size(); i++) {
            patterns.add(compileRegex(intent, "patterns[" + i + "]", sources.get(i)));
        }
        return patterns;
    }

    private Map<String, SlotDefinition> readSlots(YamlSection intent) {
        Map<String, SlotDefinition> slots = new LinkedHashMap<>();
        intent.sectionMap("slots").forEach((slotName, slot) -> {
            if (!NAME.matcher(slotName).matches()) {
                throw slot.error("a slot name must be letters and digits, starting with a letter");
            }
            Template prompt = template(slot, "prompt", null);
            Optional<Pattern> pattern = slot.optionalString("pattern").map(regex -> compileRegex(slot, "pattern", regex));
            Template invalid = template(slot, "invalid", "Sorry, that doesn't look right. " + prompt.source());
            int retries = slot.integer("retries", 2, 0, 10);
            SlotDefinition.Normalization normalize = slot.optionalString("normalize").map(text -> {
                for (SlotDefinition.Normalization candidate : SlotDefinition.Normalization.values()) {
                    if (candidate.name().equalsIgnoreCase(text.strip())) {
                        return candidate;
                    }
                }
                throw slot.error("normalize", "'" + text + "' is not one of [trim, upper, lower, digits]");
            }).orElse(SlotDefinition.Normalization.TRIM);
            slot.rejectUnknownKeys();
            slots.put(slotName, new SlotDefinition(slotName, prompt, pattern, invalid, retries, normalize));
        });
        return slots;
    }

    private StepDefinition readStep(YamlSection step, Set<String> slots, Set<String> callsSoFar, Globals globals) {
        Optional<Template> when = optionalTemplate(step, "when");
        when.ifPresent(template -> checkNames(template, slots, callsSoFar));
        Map<String, YamlSection> callSections = step.sectionMap("calls");
        if (callSections.isEmpty()) {
            throw step.error("calls", "a step needs at least one call");
        }
        List<CallDefinition> calls = new ArrayList<>();
        Set<String> callsOfThisStep = new LinkedHashSet<>();
        callSections.forEach((callName, call) -> {
            if (!NAME.matcher(callName).matches()) {
                throw call.error("a call name must be letters and digits, starting with a letter");
            }
            if (callsSoFar.contains(callName) || !callsOfThisStep.add(callName)) {
                throw call.error("call '" + callName + "' is defined twice in this intent");
            }
            String connector = call.requiredString("connector");
            String operation = call.requiredString("operation");
            globals.connectorReferences.add(new ConnectorReference(call.where("connector"), connector, operation));
            Map<String, Template> params = new LinkedHashMap<>();
            YamlSection paramSection = call.section("params");
            paramSection.keys().forEach(param -> {
                Template value = template(paramSection, param, null);
                checkNames(value, slots, callsSoFar);
                params.put(param, value);
            });
            boolean saveProfile = call.bool("saveProfile", false);
            call.rejectUnknownKeys();
            calls.add(new CallDefinition(callName, connector, operation, params, saveProfile));
        });
        step.rejectUnknownKeys();
        callsSoFar.addAll(callsOfThisStep);
        return new StepDefinition(calls, when);
    }

    private Timing readTiming(YamlSection intent) {
        Duration interimAfter = intent.duration("interimAfter", defaults.interimAfter());
        Duration deadline = intent.duration("deadline", defaults.deadline());
        boolean lateReply = intent.bool("lateReply", defaults.lateReply());
        if (deadline.isZero()) {
            throw intent.error("deadline", "must be longer than zero");
        }
        if (interimAfter.compareTo(deadline) >= 0) {
            throw intent.error("interimAfter", interimAfter + " must be shorter than the deadline (" + deadline + ")");
        }
        return new Timing(interimAfter, deadline, lateReply);
    }

    private static void checkGroupsAreSlots(YamlSection intent, List<Pattern> patterns, Set<String> slots) {
        for (int i = 0; i < patterns.size(); i++) {
            for (String group : IntentMatcher.groupNames(patterns.get(i))) {
                if (!slots.contains(group)) {
                    throw intent.error("patterns[" + i + "]", "the named group '" + group
                            + "' fills a slot that is not defined; defined slots are " + slots);
                }
            }
        }
    }

    /** Slots and results a template refers to must exist where the template is rendered. */
    private static void checkNames(Template template, Set<String> slots, Set<String> callsBefore) {
        for (String name : template.names()) {
            String[] parts = name.split("\\.");
            if (parts.length < 2) {
                continue;
            }
            if (parts[0].equals("slots") && !slots.contains(parts[1])) {
                throw new ConfigException(template.where() + ": uses slot '" + parts[1]
                        + "', which is not defined; defined slots are " + slots);
            }
            if ((parts[0].equals("results") || parts[0].equals("failed")) && !callsBefore.contains(parts[1])) {
                throw new ConfigException(template.where() + ": uses the result of call '" + parts[1]
                        + "', which no earlier step defines; calls available here are " + callsBefore);
            }
        }
    }

    /**
     * Compiles a pattern for RE2/J, which matches user text in time linear in its length: no
     * look-around, back-references or possessive quantifiers. Named groups are {@code (?<name>...)}
     * or {@code (?P<name>...)}.
     */
    private static Pattern compileRegex(YamlSection section, String key, String regex) {
        try {
            return Pattern.compile(regex, REGEX_FLAGS);
        } catch (PatternSyntaxException e) {
            throw section.error(key, "bad regular expression '" + regex + "': " + e.getDescription()
                    + " (patterns use RE2 syntax, matched in linear time: no look-around, back-references or possessive quantifiers)");
        }
    }

    /** A required template, or the default source when given. */
    private Template template(YamlSection section, String key, String defaultSource) {
        String source = defaultSource == null ? section.requiredString(key) : section.string(key, defaultSource);
        return templates.compile(section.where(key), source);
    }

    private Optional<Template> optionalTemplate(YamlSection section, String key) {
        return section.optionalString(key).map(source -> templates.compile(section.where(key), source));
    }

    private static String baseName(String label) {
        String name = label.replace('\\', '/');
        return name.substring(name.lastIndexOf('/') + 1).replace(FlowSource.CLASSPATH_PREFIX, "");
    }

    private static Set<String> errorKeys() {
        Set<String> keys = Arrays.stream(BackendStatus.values()).filter(s -> s != BackendStatus.OK)
                .map(Enum::name).collect(Collectors.toCollection(LinkedHashSet::new));
        keys.add(IntentDefinition.DEFAULT_ERROR);
        // Also the processor's own failure, for a result too large to keep (limits.maxResultBytes); a worker
        // sends the same status for an answer too large for its response record.
        keys.add("RESPONSE_TOO_LARGE");
        return Set.copyOf(keys);
    }

    /** A value and where it was set. */
    private record Located(String where, String value) {
    }

    /** A connector and operation named by a call, checked once every file's declarations are known. */
    private record ConnectorReference(String where, String connector, String operation) {
    }

    /** What flow files declare for all of them: connectors, texts, cancel words, session start, classifier. */
    private final class Globals {

        private final Map<String, Set<String>> connectors = new LinkedHashMap<>();
        private final List<ConnectorReference> connectorReferences = new ArrayList<>();
        private final Map<String, Located> textSources = new LinkedHashMap<>();
        private final Set<String> cancelWords = new LinkedHashSet<>();
        private final Map<String, String> versions = new LinkedHashMap<>();
        private Optional<Located> sessionStart = Optional.empty();
        private Optional<ClassifierDefinition> classifier = Optional.empty();
        private String classifierWhere;
        private Optional<Confidence> confidence = Optional.empty();
        private String confidenceWhere;
        private final List<String> outOfScope = new ArrayList<>();

        void read(YamlSection file) {
            versions.put(file.file(), file.string("version", "1"));
            YamlSection declared = file.section("connectors");
            for (String connector : declared.keys()) {
                List<String> operations = declared.stringList(connector);
                if (operations.isEmpty()) {
                    throw declared.error(connector, "list the operations the flows may call");
                }
                connectors.computeIfAbsent(connector, c -> new LinkedHashSet<>()).addAll(operations);
            }
            YamlSection texts = file.section("texts");
            for (String key : texts.keys()) {
                if (!DEFAULT_TEXTS.containsKey(key)) {
                    throw texts.error(key, "unknown text; known texts are " + new TreeSet<>(DEFAULT_TEXTS.keySet()));
                }
                Located earlier = textSources.putIfAbsent(key, new Located(texts.where(key), texts.requiredString(key)));
                if (earlier != null) {
                    throw texts.error(key, "is already set in " + earlier.where());
                }
            }
            cancelWords.addAll(file.stringList("cancelWords"));
            file.optionalString("sessionStart").ifPresent(intent -> {
                if (sessionStart.isPresent()) {
                    throw file.error("sessionStart", "is already set in " + sessionStart.get().where());
                }
                sessionStart = Optional.of(new Located(file.where("sessionStart"), intent));
            });
            if (file.has("nlu")) {
                YamlSection section = file.section("nlu");
                if (confidence.isPresent()) {
                    throw file.error("nlu", "is already set in " + confidenceWhere);
                }
                double accept = section.decimal("accept", Confidence.DEFAULTS.accept(), 0, 1);
                double ask = section.decimal("ask", Confidence.DEFAULTS.ask(), 0, 1);
                outOfScope.addAll(section.stringList("outOfScope"));
                if (ask > accept) {
                    throw section.error("ask", ask + " is above accept (" + accept + "); ask must not exceed accept");
                }
                section.rejectUnknownKeys();
                confidence = Optional.of(new Confidence(accept, ask));
                confidenceWhere = section.where();
            }
            if (file.has("classifier")) {
                YamlSection section = file.section("classifier");
                if (classifier.isPresent()) {
                    throw file.error("classifier", "is already set in " + classifierWhere);
                }
                String connector = section.requiredString("connector");
                String operation = section.requiredString("operation");
                section.rejectUnknownKeys();
                connectorReferences.add(new ConnectorReference(section.where("connector"), connector, operation));
                classifier = Optional.of(new ClassifierDefinition(connector, operation));
                classifierWhere = section.where();
            }
        }

        FlowTexts texts() {
            return new FlowTexts(text("noMatch"), text("cancelled"), text("gaveUp"), text("error"), text("erased"),
                    text("interim"), text("fallback"), text("backendError"), text("didYouMean"), text("tooLarge"));
        }

        Confidence confidence() {
            return confidence.orElse(Confidence.DEFAULTS);
        }

        private Template text(String key) {
            Located located = textSources.get(key);
            return located == null
                    ? templates.compile("built-in text '" + key + "'", DEFAULT_TEXTS.get(key))
                    : templates.compile(located.where(), located.value());
        }

        void checkConnectorReferences() {
            for (ConnectorReference reference : connectorReferences) {
                Set<String> operations = connectors.get(reference.connector());
                if (operations == null) {
                    throw new ConfigException(reference.where() + ": unknown connector '" + reference.connector()
                            + "'; declared connectors are " + connectors.keySet() + " (declare it under 'connectors:')");
                }
                if (!operations.contains(reference.operation())) {
                    throw new ConfigException(reference.where() + ": connector '" + reference.connector()
                            + "' has no operation '" + reference.operation() + "'; declared operations are " + operations);
                }
            }
        }
    }
}
