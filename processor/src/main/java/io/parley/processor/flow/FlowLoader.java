package io.parley.processor.flow;

import io.parley.runtime.config.ConfigSection;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.parley.schemas.BackendStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
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

    private final TemplateCompiler compiler;
    private final Timing defaults;
    /** The shared texts of the set being read (a read at a time: {@link #read} is synchronized). */
    private SharedTexts shared = new SharedTexts();

    /**
     * @param defaults timing of intents that set none of their own (from the processor configuration)
     */
    public FlowLoader(TemplateCompiler templates, Timing defaults) {
        this.compiler = templates;
        this.defaults = defaults;
    }

    /**
     * Loads and checks the flow files, as the processor does at start.
     *
     * @throws ConfigException naming the file, intent and field of the first problem found
     */
    public FlowCatalog load(List<FlowSource> sources) {
        if (sources.isEmpty()) {
            throw new ConfigException("No flow files are configured; set 'flows' to at least one file");
        }
        return read(sources, Optional.empty(), FlowProblems.failFast(), true)
                .orElseThrow(() -> new IllegalStateException("a fail-fast check reported no problem yet built nothing"));
    }

    /**
     * Checks the flow files with the same rules as {@link #load} and returns every problem found,
     * each with its line and column ({@code parley flows validate}).
     *
     * @param connectors the connector files' operations, to check call parameters against; empty to skip that check
     */
    public List<FlowProblem> check(List<FlowSource> sources, Optional<ConnectorOperations> connectors) {
        FlowProblems.Collecting problems = FlowProblems.collecting();
        if (sources.isEmpty()) {
            problems.report(new ConfigException("No flow files are given"));
        }
        read(sources, connectors, problems, false);
        return problems.problems();
    }

    /**
     * Reads every file, reporting each problem; a catalog only when nothing was reported and {@code build}
     * is set (building trains the classifier, which a check does not need).
     */
    private synchronized Optional<FlowCatalog> read(List<FlowSource> sources, Optional<ConnectorOperations> connectors,
                                                    FlowProblems problems, boolean build) {
        List<ConfigSection> files = new ArrayList<>();
        for (FlowSource source : sources) {
            parse(source, problems).ifPresent(files::add);
        }
        shared = new SharedTexts();
        // Shared texts first: any file's templates may use any file's shared texts.
        files.forEach(file -> problems.check(() -> readShared(file, problems)));
        Globals globals = new Globals(problems);
        files.forEach(globals::read);
        globals.checkEntityNames();
        FlowTexts texts = globals.texts();

        List<IntentDefinition> intents = new ArrayList<>();
        Map<String, String> definedIn = new LinkedHashMap<>();
        Map<String, String> whereByIntent = new LinkedHashMap<>();
        for (ConfigSection file : files) {
            List<ConfigSection> items = problems.attempt(() -> file.sectionList("intents")).orElse(List.of());
            for (ConfigSection item : items) {
                Optional<String> name = problems.attempt(() -> item.requiredString("name"));
                if (name.isEmpty()) {
                    continue;
                }
                String earlier = definedIn.putIfAbsent(name.get(), file.file());
                ConfigSection intentSection = item.relabel("intents[" + name.get() + "]");
                if (earlier != null) {
                    problems.report(item.error("name", "intent '" + name.get() + "' is already defined in " + earlier));
                    // Its own problems are still worth knowing.
                    readIntent(name.get(), intentSection, texts, globals, problems)
                            .ifPresent(intent -> FlowRules.unusedSlots(intentSection.where(), intent).forEach(problems::report));
                    continue;
                }
                whereByIntent.put(name.get(), intentSection.where());
                readIntent(name.get(), intentSection, texts, globals, problems).ifPresent(intent -> {
                    intents.add(intent);
                    FlowRules.unusedSlots(intentSection.where(), intent).forEach(problems::report);
                    connectors.ifPresent(ops -> {
                        FlowRules.callParameters(intentSection.where(), intent, ops).forEach(problems::report);
                        FlowRules.resultFields(intent, ops).forEach(problems::report);
                    });
                });
            }
            problems.check(file::rejectUnknownKeys);
        }
        globals.checkConnectorReferences();
        shared.unused().forEach(problems::report);
        FlowRules.unreachable(whereByIntent, intents).forEach(problems::report);

        Map<String, IntentDefinition> byName = intents.stream()
                .collect(Collectors.toMap(IntentDefinition::name, intent -> intent));
        Optional<IntentDefinition> sessionStart = globals.sessionStart.flatMap(ref -> {
            IntentDefinition intent = byName.get(ref.value());
            if (intent == null && !definedIn.containsKey(ref.value())) {
                problems.report(new ConfigException(ref.where() + ": unknown intent '" + ref.value() + "'; defined intents are "
                        + definedIn.keySet()));
            }
            return Optional.ofNullable(intent);
        });
        if (problems.any() || !build) {
            return Optional.empty();
        }
        Set<String> cancelWords = globals.cancelWords.isEmpty() ? Set.of("cancel") : globals.cancelWords;
        String version = files.stream().map(f -> baseName(f.file()) + "@" + globals.versions.get(f.file()))
                .collect(Collectors.joining(","));
        return Optional.of(new FlowCatalog(intents, sessionStart, globals.classifier, texts, cancelWords, version,
                globals.confidence(), List.copyOf(globals.outOfScope), globals.tables, globals.entities));
    }

    private void readShared(ConfigSection file, FlowProblems problems) {
        ConfigSection declared = file.section(SharedTexts.ROOT);
        for (String name : declared.keys()) {
            problems.check(() -> shared.declare(declared.where(name), name, declared.requiredString(name)));
        }
    }

    /** Compiles a template of the flows, with its shared texts put in. */
    private Template compile(String where, String source) {
        return compiler.compile(where, shared.expand(where, source));
    }

    /** Parses a file, with its syntax and duplicate keys checked and its entries' positions known to the problems. */
    private static Optional<ConfigSection> parse(FlowSource source, FlowProblems problems) {
        String text;
        try (InputStream in = source.open()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ConfigException e) {
            problems.report(e);
            return Optional.empty();
        } catch (IOException e) {
            problems.report(new ConfigException(source.label() + ": cannot read the flow file (" + e.getMessage() + ")"));
            return Optional.empty();
        }
        YamlLocations locations;
        try {
            locations = YamlLocations.read(text);
        } catch (YamlLocations.SyntaxError e) {
            problems.report(new FlowProblem(source.label(), "", "not valid YAML: " + e.problem(), e.position(), e.excerpt()));
            return Optional.empty();
        }
        problems.locate(source.label(), locations);
        for (YamlLocations.Duplicate duplicate : locations.duplicates()) {
            String path = duplicate.path().isEmpty() ? duplicate.key() : duplicate.path() + "." + duplicate.key();
            problems.report(new FlowProblem(source.label(), path, "the key '" + duplicate.key() + "' appears twice in this mapping"
                    + " (first on line " + duplicate.first().line() + "); YAML would keep only the last one",
                    Optional.of(duplicate.again()), ""));
        }
        return problems.attempt(() -> ConfigSection.parse(source.label(), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** Reads an intent, reporting every problem of it; the intent only when it has none. */
    private Optional<IntentDefinition> readIntent(String name, ConfigSection intent, FlowTexts texts, Globals globals,
                                                  FlowProblems problems) {
        int before = problems.count();
        int priority = problems.attempt(() -> intent.intValue("priority", 0, -1000, 1000)).orElse(0);
        List<String> keywords = problems.attempt(() -> intent.stringList("keywords")).orElse(List.of());
        List<Pattern> patterns = readPatterns(intent, problems);
        Map<String, SlotDefinition> slots = readSlots(intent, globals, problems);
        // Every slot named counts as defined, even one with a problem of its own: no second error for each use of it.
        Set<String> slotNames = new LinkedHashSet<>(FlowProblems.quietly(() -> intent.section("slots").keys()).orElse(List.of()));
        checkGroupsAreSlots(intent, patterns, slotNames, problems);

        List<StepDefinition> steps = new ArrayList<>();
        Set<String> callsSoFar = new LinkedHashSet<>();
        List<ConfigSection> stepSections = problems.attempt(() -> intent.sectionList("steps")).orElse(List.of());
        for (ConfigSection stepSection : stepSections) {
            readStep(stepSection, slotNames, callsSoFar, globals, problems).ifPresent(steps::add);
        }
        Optional<Template> reply = problems.attempt(() -> template(intent, "reply", null));
        reply.ifPresent(template -> checkNames(template, slotNames, callsSoFar, problems));
        Map<String, Template> errors = new LinkedHashMap<>();
        ConfigSection errorSection = problems.attempt(() -> intent.section("errors")).orElse(ConfigSection.empty(intent.file(), intent.path()));
        for (String status : errorSection.keys()) {
            if (!ERROR_KEYS.contains(status)) {
                problems.report(errorSection.error(status, "unknown status; use one of " + new TreeSet<>(ERROR_KEYS)));
                continue;
            }
            problems.attempt(() -> template(errorSection, status, null)).ifPresent(errorReply -> {
                checkNames(errorReply, slotNames, callsSoFar, problems);
                errors.put(status, errorReply);
            });
        }
        Optional<Template> interim = problems.attempt(() -> optionalTemplate(intent, "interim").orElse(texts.interim()));
        Optional<Template> fallback = problems.attempt(() -> optionalTemplate(intent, "fallback").orElse(texts.fallback()));
        Optional<Template> followUp = problems.attempt(() -> optionalTemplate(intent, "followUp")).flatMap(own -> {
            own.ifPresent(template -> checkNames(template, slotNames, callsSoFar, problems));
            return own.isPresent() ? own : reply;
        });
        Optional<Timing> timing = problems.attempt(() -> readTiming(intent));
        String title = problems.attempt(() -> intent.string("title").map(String::strip).orElseGet(() -> defaultTitle(name)))
                .orElse(name);
        List<String> examples = problems.attempt(() -> intent.stringList("examples")).orElse(List.of());
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).isBlank()) {
                problems.report(intent.error("examples[" + i + "]", "an example must not be blank"));
            }
        }
        MuteAction mute = problems.attempt(() -> readMute(intent)).orElse(null);
        problems.check(intent::rejectUnknownKeys);
        if (problems.count() > before || reply.isEmpty() || interim.isEmpty() || fallback.isEmpty() || followUp.isEmpty()
                || timing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IntentDefinition(name, priority, keywords, patterns, slots, steps, reply.get(), errors,
                interim.get(), fallback.get(), followUp.get(), timing.get(), title, examples, mute));
    }

    /**
     * {@code mute: {for: 1h, scope: rule|device, fromMessage: true}}: {@code for} from 1 minute to 7 days; {@code scope}
     * by default {@code rule}; with {@code fromMessage} (the default) a duration in the user's message ("for 3 hours")
     * replaces {@code for}. Or {@code unmute: {scope: rule|device}}: the alerts resume at once.
     */
    private static MuteAction readMute(ConfigSection intent) {
        if (intent.has("mute") && intent.has("unmute")) {
            throw intent.error("unmute", "cannot be used with mute: in one intent; make two intents");
        }
        if (intent.has("unmute")) {
            ConfigSection unmute = intent.requiredObject("unmute");
            MuteAction.Scope scope = unmute.enumValue("scope", MuteAction.Scope.class, MuteAction.Scope.RULE);
            unmute.rejectUnknownKeys();
            return MuteAction.unmute(scope);
        }
        if (!intent.has("mute")) {
            return null;
        }
        ConfigSection mute = intent.requiredObject("mute");
        Duration duration = mute.duration("for").orElseThrow(() -> mute.error("for", "is required: how long to mute, e.g. 1h"));
        if (duration.compareTo(MuteAction.MIN) < 0 || duration.compareTo(MuteAction.MAX) > 0) {
            throw mute.error("for", "is out of range; a mute lasts from 1m to 7d");
        }
        MuteAction.Scope scope = mute.enumValue("scope", MuteAction.Scope.class, MuteAction.Scope.RULE);
        boolean fromMessage = mute.bool("fromMessage", true);
        mute.rejectUnknownKeys();
        return new MuteAction(duration, scope, fromMessage);
    }

    /** "order-status" → "Order status". */
    private static String defaultTitle(String name) {
        String words = name.replace('-', ' ').replace('_', ' ').strip();
        return words.isEmpty() ? name : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static List<Pattern> readPatterns(ConfigSection intent, FlowProblems problems) {
        List<Pattern> patterns = new ArrayList<>();
        List<String> sources = problems.attempt(() -> intent.stringList("patterns")).orElse(List.of());
        for (int i = 0; i < sources.size(); i++) {
            String key = "patterns[" + i + "]";
            String source = sources.get(i);
            problems.attempt(() -> compileRegex(intent, key, source)).ifPresent(patterns::add);
        }
        return patterns;
    }

    private Map<String, SlotDefinition> readSlots(ConfigSection intent, Globals globals, FlowProblems problems) {
        Map<String, SlotDefinition> slots = new LinkedHashMap<>();
        problems.attempt(() -> intent.sectionMap("slots")).orElse(Map.of()).forEach((slotName, slot) ->
                problems.attempt(() -> readSlot(slotName, slot, globals)).ifPresent(definition -> slots.put(slotName, definition)));
        return slots;
    }

    private SlotDefinition readSlot(String slotName, ConfigSection slot, Globals globals) {
        if (!NAME.matcher(slotName).matches()) {
            throw slot.error("a slot name must be letters and digits, starting with a letter");
        }
        Template prompt = template(slot, "prompt", null);
        Optional<Pattern> pattern = slot.string("pattern").map(regex -> compileRegex(slot, "pattern", regex));
        Template invalid = template(slot, "invalid", "Sorry, that doesn't look right. " + prompt.source());
        int retries = slot.intValue("retries", 2, 0, 10);
        SlotDefinition.Normalization normalize = slot.string("normalize").map(text -> {
            for (SlotDefinition.Normalization candidate : SlotDefinition.Normalization.values()) {
                if (candidate.name().equalsIgnoreCase(text.strip())) {
                    return candidate;
                }
            }
            throw slot.error("normalize", "'" + text + "' is not one of [trim, upper, lower, digits]");
        }).orElse(SlotDefinition.Normalization.TRIM);
        Optional<String> entity = slot.string("entity");
        if (entity.isPresent() && !globals.entityNames.contains(entity.get())) {
            TableDefinition table = globals.tables.get(entity.get());
            if (table == null) {
                throw slot.error("entity", "unknown entity '" + entity.get() + "'; entity lists are " + globals.entities.keySet()
                        + " and tables with names are " + globals.namedTables());
            }
            if (table.names().isEmpty()) {
                throw slot.error("entity", "table '" + entity.get() + "' declares no name columns ('names:'), so no phrase"
                        + " can name one of its rows");
            }
        }
        slot.rejectUnknownKeys();
        return new SlotDefinition(slotName, prompt, pattern, invalid, retries, normalize, entity);
    }

    private Optional<StepDefinition> readStep(ConfigSection step, Set<String> slots, Set<String> callsSoFar, Globals globals,
                                              FlowProblems problems) {
        int before = problems.count();
        Optional<Template> when = problems.attempt(() -> optionalTemplate(step, "when")).flatMap(template -> template);
        when.ifPresent(template -> checkNames(template, slots, callsSoFar, problems));
        Map<String, ConfigSection> callSections = problems.attempt(() -> step.sectionMap("calls")).orElse(Map.of());
        Optional<LookupDefinition> lookup = Optional.empty();
        if (step.has("lookup")) {
            if (!callSections.isEmpty()) {
                problems.report(step.error("lookup", "a step has calls or a lookup, not both; put the lookup in a step of its own"));
            }
            lookup = problems.attempt(() -> readLookup(step.section("lookup"), slots, callsSoFar, globals, problems));
            if (lookup.isEmpty()) {
                // Its result counts as defined all the same: no second error for each use of it.
                FlowProblems.quietly(() -> step.section("lookup")).flatMap(l -> FlowProblems.quietly(() -> l.string("as")
                        .or(() -> l.string("table"))).flatMap(name -> name)).ifPresent(callsSoFar::add);
            }
        } else if (callSections.isEmpty()) {
            problems.report(step.error("calls", "a step needs at least one call (or a lookup)"));
        }
        List<CallDefinition> calls = new ArrayList<>();
        Set<String> callsOfThisStep = new LinkedHashSet<>();
        callSections.forEach((callName, call) -> {
            if (!NAME.matcher(callName).matches()) {
                problems.report(call.error("a call name must be letters and digits, starting with a letter"));
                return;
            }
            if (callsSoFar.contains(callName) || !callsOfThisStep.add(callName)) {
                problems.report(call.error("call '" + callName + "' is defined twice in this intent"));
                return;
            }
            Optional<String> connector = problems.attempt(() -> call.requiredString("connector"));
            Optional<String> operation = problems.attempt(() -> call.requiredString("operation"));
            if (connector.isPresent() && operation.isPresent()) {
                globals.connectorReferences.add(new ConnectorReference(call.where("connector"), connector.get(), operation.get()));
            }
            Map<String, Template> params = new LinkedHashMap<>();
            ConfigSection paramSection = problems.attempt(() -> call.section("params")).orElse(ConfigSection.empty(call.file(), call.path()));
            paramSection.keys().forEach(param -> problems.attempt(() -> template(paramSection, param, null)).ifPresent(value -> {
                checkNames(value, slots, callsSoFar, problems);
                params.put(param, value);
            }));
            boolean saveProfile = problems.attempt(() -> call.bool("saveProfile", false)).orElse(false);
            problems.check(call::rejectUnknownKeys);
            if (connector.isPresent() && operation.isPresent()) {
                calls.add(new CallDefinition(callName, connector.get(), operation.get(), params, saveProfile));
            }
        });
        problems.check(step::rejectUnknownKeys);
        callsSoFar.addAll(callsOfThisStep);
        lookup.ifPresent(l -> callsSoFar.add(l.name()));
        return problems.count() > before ? Optional.empty() : Optional.of(new StepDefinition(calls, when, lookup));
    }

    /** A reference-table lookup: its table and index must be declared, its key template may use what calls may. */
    private LookupDefinition readLookup(ConfigSection lookup, Set<String> slots, Set<String> callsSoFar, Globals globals,
                                        FlowProblems problems) {
        String table = lookup.requiredString("table");
        String name = lookup.string("as", table);
        if (!NAME.matcher(name).matches()) {
            throw lookup.error(lookup.has("as") ? "as" : "table", "'" + name + "' cannot name a result: a result name must be"
                    + " letters and digits, starting with a letter (give the lookup one with 'as:')");
        }
        if (callsSoFar.contains(name)) {
            throw lookup.error(lookup.has("as") ? "as" : "table", "a result named '" + name + "' is already defined in this intent;"
                    + " name this lookup's result with 'as:'");
        }
        Template key = template(lookup, "key", null);
        checkNames(key, slots, callsSoFar, problems);
        Optional<String> index = lookup.string("index");
        int limit = lookup.intValue("limit", LookupDefinition.DEFAULT_LIMIT, 1, LookupDefinition.MAX_LIMIT);
        TableDefinition definition = globals.tables.get(table);
        if (definition == null) {
            throw lookup.error("table", "unknown table '" + table + "'; declared tables are " + globals.tables.keySet()
                    + " (declare it under 'tables:')");
        }
        if (index.isPresent() && !definition.indexes().containsKey(index.get())) {
            throw lookup.error("index", "table '" + table + "' has no index '" + index.get() + "'; its indexes are "
                    + definition.indexes().keySet());
        }
        if (index.isEmpty() && lookup.has("limit")) {
            throw lookup.error("limit", "only a lookup by an index lists rows; a lookup by key finds one row");
        }
        lookup.rejectUnknownKeys();
        return new LookupDefinition(name, table, key, index, limit);
    }

    private Timing readTiming(ConfigSection intent) {
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

    private static void checkGroupsAreSlots(ConfigSection intent, List<Pattern> patterns, Set<String> slots, FlowProblems problems) {
        for (int i = 0; i < patterns.size(); i++) {
            for (String group : IntentMatcher.groupNames(patterns.get(i))) {
                if (!slots.contains(group)) {
                    problems.report(intent.error("patterns[" + i + "]", "the named group '" + group
                            + "' fills a slot that is not defined; defined slots are " + slots));
                }
            }
        }
    }

    /** Slots and results a template refers to must exist where the template is rendered. */
    private static void checkNames(Template template, Set<String> slots, Set<String> callsBefore, FlowProblems problems) {
        for (String name : template.names()) {
            String[] parts = name.split("\\.");
            if (parts.length < 2) {
                continue;
            }
            if (parts[0].equals(TemplateModel.SLOTS) && !slots.contains(parts[1])) {
                problems.report(new ConfigException(template.where() + ": uses slot '" + parts[1]
                        + "', which is not defined; defined slots are " + slots));
            }
            if ((parts[0].equals(TemplateModel.RESULTS) || parts[0].equals(TemplateModel.FAILED)) && !callsBefore.contains(parts[1])) {
                problems.report(new ConfigException(template.where() + ": uses the result of call '" + parts[1]
                        + "', which no earlier step defines; calls available here are " + callsBefore));
            }
        }
    }

    /**
     * Compiles a pattern for RE2/J, which matches user text in time linear in its length: no
     * look-around, back-references or possessive quantifiers. Named groups are {@code (?<name>...)}
     * or {@code (?P<name>...)}.
     */
    private static Pattern compileRegex(ConfigSection section, String key, String regex) {
        try {
            return Pattern.compile(regex, REGEX_FLAGS);
        } catch (PatternSyntaxException e) {
            throw section.error(key, "bad regular expression '" + regex + "': " + e.getDescription()
                    + " (patterns use RE2 syntax, matched in linear time: no look-around, back-references or possessive quantifiers)");
        }
    }

    /** A required template, or the default source when given. */
    private Template template(ConfigSection section, String key, String defaultSource) {
        String source = defaultSource == null ? section.requiredString(key) : section.string(key, defaultSource);
        return checked(compile(section.where(key), source));
    }

    private Optional<Template> optionalTemplate(ConfigSection section, String key) {
        return section.string(key).map(source -> checked(compile(section.where(key), source)));
    }

    /** A template whose top-level names all exist in a template's scope; the first unknown one is thrown. */
    private static Template checked(Template template) {
        List<ConfigException> problems = FlowRules.variables(template);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        return template;
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
        private final Map<String, TableDefinition> tables = new LinkedHashMap<>();
        private final Map<String, String> tableWhere = new LinkedHashMap<>();
        private final Map<String, EntityList> entities = new LinkedHashMap<>();
        private final Map<String, String> entityWhere = new LinkedHashMap<>();
        /** Every entity list named, even one with a problem of its own: no second error for each slot using it. */
        private final Set<String> entityNames = new LinkedHashSet<>();
        private final FlowProblems problems;

        Globals(FlowProblems problems) {
            this.problems = problems;
        }

        void read(ConfigSection file) {
            problems.check(() -> versions.put(file.file(), file.string("version", "1")));
            problems.check(() -> readConnectors(file));
            problems.check(() -> readTexts(file));
            problems.check(() -> cancelWords.addAll(file.stringList("cancelWords")));
            problems.check(() -> readSessionStart(file));
            problems.check(() -> readNlu(file));
            problems.check(() -> readClassifier(file));
            problems.check(() -> readTables(file));
            problems.check(() -> readEntities(file));
        }

        private void readTables(ConfigSection file) {
            ConfigSection declared = file.section("tables");
            for (String name : declared.keys()) {
                problems.check(() -> readTable(declared, name));
            }
        }

        private void readTable(ConfigSection declared, String name) {
            ConfigSection table = declared.section(name);
            if (!NAME.matcher(name).matches()) {
                throw declared.error(name, "a table name must be letters and digits, starting with a letter");
            }
            if (tables.containsKey(name)) {
                throw declared.error(name, "table '" + name + "' is already declared in " + tableWhere.get(name));
            }
            String topic = table.requiredString("topic");
            String keyField = table.requiredString("key");
            TableDefinition.TableFormat format = table.string("format").map(text -> {
                for (TableDefinition.TableFormat candidate : TableDefinition.TableFormat.values()) {
                    if (candidate.name().equalsIgnoreCase(text.strip())) {
                        return candidate;
                    }
                }
                throw table.error("format", "'" + text + "' is not one of [json, avro, debezium]");
            }).orElse(TableDefinition.TableFormat.JSON);
            Map<String, String> indexes = table.stringMap("index");
            ConfigSection indexSection = table.section("index");
            for (String index : indexes.keySet()) {
                if (!NAME.matcher(index).matches()) {
                    throw indexSection.error(index, "an index name must be letters and digits, starting with a letter");
                }
            }
            List<String> names = table.stringList("names");
            table.rejectUnknownKeys();
            for (Map.Entry<String, TableDefinition> other : tables.entrySet()) {
                if (other.getValue().topic().equals(topic)) {
                    throw table.error("topic", "topic '" + topic + "' is already read by table '" + other.getKey() + "'");
                }
            }
            tables.put(name, new TableDefinition(name, topic, keyField, format, indexes, names));
            tableWhere.put(name, declared.where(name));
        }

        private void readEntities(ConfigSection file) {
            ConfigSection declared = file.section("entities");
            for (String name : declared.keys()) {
                problems.check(() -> readEntity(declared, name));
            }
        }

        private void readEntity(ConfigSection declared, String name) {
            if (!NAME.matcher(name).matches()) {
                throw declared.error(name, "an entity name must be letters and digits, starting with a letter");
            }
            if (entities.containsKey(name)) {
                throw declared.error(name, "entity '" + name + "' is already declared in " + entityWhere.get(name));
            }
            entityNames.add(name);
            List<ConfigSection> items = declared.sectionList(name);
            if (items.isEmpty()) {
                throw declared.error(name, "list the entity's values, each with its synonyms");
            }
            List<EntityList.Value> values = new ArrayList<>();
            Map<String, String> phraseOwners = new LinkedHashMap<>();
            for (ConfigSection item : items) {
                String value = item.requiredString("value");
                List<String> synonyms = item.stringList("synonyms");
                item.rejectUnknownKeys();
                EntityList.Value entry = new EntityList.Value(value, synonyms);
                if (EntityMatcher.phrasesOf(entry).isEmpty()) {
                    throw item.error("value", "'" + value + "' has no letters or digits, so no message can name it");
                }
                for (String phrase : EntityMatcher.phrasesOf(entry)) {
                    String owner = phraseOwners.putIfAbsent(phrase, value);
                    if (owner != null && !owner.equals(value)) {
                        throw item.error("synonyms", "the phrase '" + phrase + "' already names '" + owner
                                + "'; a phrase may name one value only");
                    }
                }
                values.add(entry);
            }
            entities.put(name, new EntityList(name, values));
            entityWhere.put(name, declared.where(name));
        }

        /** Tables whose rows have names (slot entities). */
        List<String> namedTables() {
            return tables.values().stream().filter(t -> !t.names().isEmpty()).map(TableDefinition::name).toList();
        }

        /** An entity list and a table of the same name would make a slot's {@code entity:} ambiguous. */
        void checkEntityNames() {
            entities.keySet().stream().filter(tables::containsKey).forEach(name -> problems.report(new ConfigException(
                    entityWhere.get(name) + ": entity '" + name + "' has the name of table '" + name + "' (" + tableWhere.get(name)
                    + "); a slot's entity must name one of them only")));
        }

        private void readConnectors(ConfigSection file) {
            ConfigSection declared = file.section("connectors");
            for (String connector : declared.keys()) {
                List<String> operations = declared.stringList(connector);
                if (operations.isEmpty()) {
                    throw declared.error(connector, "list the operations the flows may call");
                }
                connectors.computeIfAbsent(connector, c -> new LinkedHashSet<>()).addAll(operations);
            }
        }

        private void readTexts(ConfigSection file) {
            ConfigSection texts = file.section("texts");
            for (String key : texts.keys()) {
                problems.check(() -> readText(texts, key));
            }
        }

        private void readText(ConfigSection texts, String key) {
            {
                if (!DEFAULT_TEXTS.containsKey(key)) {
                    throw texts.error(key, "unknown text; known texts are " + new TreeSet<>(DEFAULT_TEXTS.keySet()));
                }
                Located earlier = textSources.putIfAbsent(key, new Located(texts.where(key), texts.requiredString(key)));
                if (earlier != null) {
                    throw texts.error(key, "is already set in " + earlier.where());
                }
                // The same check as every other template, at the text's own entry.
                checked(compile(texts.where(key), texts.requiredString(key)));
            }
        }

        private void readSessionStart(ConfigSection file) {
            file.string("sessionStart").ifPresent(intent -> {
                if (sessionStart.isPresent()) {
                    throw file.error("sessionStart", "is already set in " + sessionStart.get().where());
                }
                sessionStart = Optional.of(new Located(file.where("sessionStart"), intent));
            });
        }

        private void readNlu(ConfigSection file) {
            if (file.has("nlu")) {
                ConfigSection section = file.section("nlu");
                if (confidence.isPresent()) {
                    throw file.error("nlu", "is already set in " + confidenceWhere);
                }
                double accept = section.doubleValue("accept", Confidence.DEFAULTS.accept(), 0, 1);
                double ask = section.doubleValue("ask", Confidence.DEFAULTS.ask(), 0, 1);
                outOfScope.addAll(section.stringList("outOfScope"));
                if (ask > accept) {
                    throw section.error("ask", ask + " is above accept (" + accept + "); ask must not exceed accept");
                }
                section.rejectUnknownKeys();
                confidence = Optional.of(new Confidence(accept, ask));
                confidenceWhere = section.where();
            }
        }

        private void readClassifier(ConfigSection file) {
            if (file.has("classifier")) {
                ConfigSection section = file.section("classifier");
                if (classifier.isPresent()) {
                    throw file.error("classifier", "is already set in " + classifierWhere);
                }
                String connector = section.requiredString("connector");
                String operation = section.requiredString("operation");
                boolean askWhenUnsure = section.bool(ClassifierDefinition.ASK_WHEN_UNSURE, false);
                section.rejectUnknownKeys();
                connectorReferences.add(new ConnectorReference(section.where("connector"), connector, operation));
                classifier = Optional.of(new ClassifierDefinition(connector, operation, askWhenUnsure));
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
            if (located != null) {
                Optional<Template> own = problems.attempt(() -> compile(located.where(), located.value()));
                if (own.isPresent()) {
                    return own.get();
                }
            }
            return compile("built-in text '" + key + "'", DEFAULT_TEXTS.get(key));
        }

        void checkConnectorReferences() {
            for (ConnectorReference reference : connectorReferences) {
                Set<String> operations = connectors.get(reference.connector());
                if (operations == null) {
                    problems.report(new ConfigException(reference.where() + ": unknown connector '" + reference.connector()
                            + "'; declared connectors are " + connectors.keySet() + " (declare it under 'connectors:')"));
                } else if (!operations.contains(reference.operation())) {
                    problems.report(new ConfigException(reference.where() + ": connector '" + reference.connector()
                            + "' has no operation '" + reference.operation() + "'; declared operations are " + operations));
                }
            }
        }
    }
}
