package io.parley.local.tools.flowtest;

import io.parley.runtime.config.ConfigSection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parley.processor.flow.FlowSource;
import io.parley.schemas.AuditKind;
import io.parley.schemas.BackendStatus;
import io.parley.schemas.ReplyKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigException;

/**
 * A file of conversation tests ({@code demo-shop.test.yaml}): the flows under test, and tests made
 * of a conversation (what the user says, time passing) with stubbed connector answers and what is
 * expected after each turn (replies, calls, slots, audit events). Read once, checked completely:
 * errors name the file, the test and the field.
 */
public record FlowTestSuite(String file, List<FlowSource> flows, List<TestCase> tests) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** One test: a conversation from a fresh session. */
    public record TestCase(String name, String where, String user, String channel, List<Stub> stubs, List<Turn> turns) {
    }

    /**
     * A connector answer: the first stub whose connector, operation and (given) parameters match a call answers it.
     *
     * @param params parameters the call must have (a subset); empty matches any call of the operation
     * @param body the JSON result of an OK answer
     * @param delay how long the backend takes (longer than the intent's deadline: a late answer)
     */
    public record Stub(String connector, String operation, Map<String, String> params, BackendStatus status,
                       Optional<String> body, Duration delay) {

        boolean matches(String connector, String operation, Map<String, String> actual) {
            return this.connector.equals(connector) && this.operation.equals(operation)
                    && params.entrySet().stream().allMatch(param -> param.getValue().equals(actual.get(param.getKey())));
        }
    }

    /**
     * One entry of a conversation: the user says something, a session starts, or time passes; then what is
     * expected. {@code user} and {@code channel} override the test's for this one event (another user
     * writing into the conversation, the same user on another channel).
     */
    public record Turn(String where, Optional<String> say, boolean sessionStart, Duration pause, Optional<String> user,
                       Optional<String> channel, Optional<Expectation> expect) {
    }

    /**
     * What a turn must have produced; a part left out is not checked.
     *
     * @param replies the replies, in order, all of them
     * @param calls the backend calls, in order, all of them
     * @param slots values the current turn's slots must have
     * @param audit audit kinds that must appear, in this order (others may come between)
     */
    public record Expectation(Optional<List<ExpectedReply>> replies, Optional<List<ExpectedCall>> calls,
                              Optional<Map<String, String>> slots, Optional<List<AuditKind>> audit) {
    }

    /** A reply: its kind (if given) and its text, exact or {@code /regular expression/} (searched in the text). */
    public record ExpectedReply(Optional<ReplyKind> kind, TextMatch text) {

        boolean matches(ReplyKind actualKind, String actualText) {
            return kind.map(k -> k == actualKind).orElse(true) && text.matches(actualText);
        }

        @Override
        public String toString() {
            return kind.map(k -> k + " ").orElse("") + text;
        }
    }

    /** A call: connector, operation and, if given, exactly these parameters. */
    public record ExpectedCall(String connector, String operation, Optional<Map<String, String>> params) {

        boolean matches(String actualConnector, String actualOperation, Map<String, String> actualParams) {
            return connector.equals(actualConnector) && operation.equals(actualOperation)
                    && params.map(p -> p.equals(actualParams)).orElse(true);
        }

        @Override
        public String toString() {
            return connector + "." + operation + params.map(p -> " " + new java.util.TreeMap<>(p)).orElse("");
        }
    }

    /** Exact text, or a pattern written between slashes. */
    public record TextMatch(String source, Optional<Pattern> pattern) {

        static TextMatch parse(ConfigSection section, String key, String text) {
            if (text.length() >= 2 && text.startsWith("/") && text.endsWith("/")) {
                try {
                    return new TextMatch(text, Optional.of(Pattern.compile(text.substring(1, text.length() - 1), Pattern.DOTALL)));
                } catch (PatternSyntaxException e) {
                    throw section.error(key, "bad regular expression " + text + ": " + e.getDescription());
                }
            }
            return new TextMatch(text, Optional.empty());
        }

        boolean matches(String actual) {
            return pattern.map(p -> p.matcher(actual).find()).orElse(source.equals(actual));
        }

        @Override
        public String toString() {
            return pattern.isPresent() ? source : "\"" + source + "\"";
        }
    }

    /**
     * Reads a test file.
     *
     * @param baseDirectory where relative flow paths are resolved (the test file's folder); null for classpath files
     */
    public static FlowTestSuite read(FlowSource source, Path baseDirectory) {
        byte[] bytes;
        try (InputStream in = source.open()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigException(source.label() + ": cannot read (" + e.getMessage() + ")");
        }
        ConfigSection root = ConfigSection.parse(source.label(), new ByteArrayInputStream(bytes));
        JsonNode tree;
        try {
            tree = YAML.readTree(bytes);
        } catch (IOException e) {
            throw new ConfigException(source.label() + ": not valid YAML");
        }
        List<String> flowSpecs = root.stringList("flows");
        if (flowSpecs.isEmpty()) {
            throw root.error("flows", "name the flow files under test");
        }
        List<FlowSource> flows = flowSpecs.stream().map(spec -> resolve(source, spec, baseDirectory)).toList();
        ConfigSection defaults = root.section("defaults");
        String user = defaults.string("user", "test-user");
        String channel = defaults.string("channel", "web");
        defaults.rejectUnknownKeys();
        List<TestCase> tests = new ArrayList<>();
        List<ConfigSection> items = root.sectionList("tests");
        if (items.isEmpty()) {
            throw root.error("tests", "lists no tests");
        }
        for (int t = 0; t < items.size(); t++) {
            ConfigSection item = items.get(t);
            String name = item.requiredString("name");
            ConfigSection test = item.relabel("tests[" + name + "]");
            List<Stub> stubs = new ArrayList<>();
            List<ConfigSection> stubSections = test.sectionList("stubs");
            for (int s = 0; s < stubSections.size(); s++) {
                stubs.add(stub(stubSections.get(s), tree.path("tests").path(t).path("stubs").path(s)));
            }
            List<Turn> turns = new ArrayList<>();
            List<ConfigSection> conversation = test.sectionList("conversation");
            if (conversation.isEmpty()) {
                throw test.error("conversation", "a test needs at least one entry (say, sessionStart or wait)");
            }
            for (ConfigSection turn : conversation) {
                turns.add(turn(turn));
            }
            tests.add(new TestCase(name, test.where(), test.string("user", user), test.string("channel", channel), stubs, turns));
            test.rejectUnknownKeys();
        }
        root.rejectUnknownKeys();
        return new FlowTestSuite(source.label(), flows, tests);
    }

    /** A flow named by a test file: classpath stays classpath; a path is relative to the test file. */
    private static FlowSource resolve(FlowSource testFile, String spec, Path baseDirectory) {
        if (!spec.startsWith(FlowSource.CLASSPATH_PREFIX) && baseDirectory == null
                && testFile.label().startsWith(FlowSource.CLASSPATH_PREFIX)) {
            String folder = testFile.label().substring(FlowSource.CLASSPATH_PREFIX.length());
            int slash = folder.lastIndexOf('/');
            return FlowSource.classpath((slash < 0 ? "" : folder.substring(0, slash + 1)) + spec);
        }
        return FlowSource.parse(spec, baseDirectory);
    }

    private static Stub stub(ConfigSection stub, JsonNode node) {
        String connector = stub.requiredString("connector");
        String operation = stub.requiredString("operation");
        Map<String, String> params = stub.stringMap("params");
        BackendStatus status = enumValue(stub, "status", BackendStatus.class).orElse(BackendStatus.OK);
        Optional<String> body = json(stub, "body", node);
        if (status != BackendStatus.OK && body.isPresent()) {
            throw stub.error("body", "only an OK answer has a body (status is " + status + ")");
        }
        Duration delay = stub.duration("delay", Duration.ZERO);
        stub.rejectUnknownKeys();
        return new Stub(connector, operation, params, status, body, delay);
    }

    private static Turn turn(ConfigSection turn) {
        Optional<String> say = turn.string("say");
        boolean sessionStart = turn.bool("sessionStart", false);
        Duration wait = turn.duration("wait", Duration.ZERO);
        int actions = (say.isPresent() ? 1 : 0) + (sessionStart ? 1 : 0) + (wait.isZero() ? 0 : 1);
        if (actions != 1) {
            throw turn.error("each conversation entry does exactly one of: say, sessionStart: true, wait");
        }
        Optional<String> user = turn.string("user");
        Optional<String> channel = turn.string("channel");
        if (wait.compareTo(Duration.ZERO) > 0 && (user.isPresent() || channel.isPresent())) {
            throw turn.error("user and channel belong to an event (say, sessionStart), not to a wait");
        }
        Optional<Expectation> expect = turn.has("expect") ? Optional.of(expectation(turn.section("expect"))) : Optional.empty();
        turn.rejectUnknownKeys();
        return new Turn(turn.where(), say, sessionStart, wait, user, channel, expect);
    }

    private static Expectation expectation(ConfigSection expect) {
        Optional<List<ExpectedReply>> replies = Optional.empty();
        if (expect.has("replies")) {
            List<ExpectedReply> list = new ArrayList<>();
            for (ConfigSection reply : expect.sectionList("replies")) {
                Optional<ReplyKind> kind = enumValue(reply, "kind", ReplyKind.class);
                TextMatch text = TextMatch.parse(reply, "text", reply.requiredString("text"));
                reply.rejectUnknownKeys();
                list.add(new ExpectedReply(kind, text));
            }
            replies = Optional.of(list);
        }
        Optional<List<ExpectedCall>> calls = Optional.empty();
        if (expect.has("calls")) {
            List<ExpectedCall> list = new ArrayList<>();
            for (ConfigSection call : expect.sectionList("calls")) {
                Optional<Map<String, String>> params = call.has("params") ? Optional.of(call.stringMap("params")) : Optional.empty();
                list.add(new ExpectedCall(call.requiredString("connector"), call.requiredString("operation"), params));
                call.rejectUnknownKeys();
            }
            calls = Optional.of(list);
        }
        Optional<Map<String, String>> slots = expect.has("slots") ? Optional.of(expect.stringMap("slots")) : Optional.empty();
        Optional<List<AuditKind>> audit = Optional.empty();
        if (expect.has("audit")) {
            List<AuditKind> kinds = new ArrayList<>();
            List<String> names = expect.stringList("audit");
            for (int i = 0; i < names.size(); i++) {
                kinds.add(parseEnum(expect, "audit[" + i + "]", names.get(i), AuditKind.class));
            }
            audit = Optional.of(kinds);
        }
        expect.rejectUnknownKeys();
        return new Expectation(replies, calls, slots, audit);
    }

    /** The body as JSON, from the file's tree (the section API reads single values only). */
    private static Optional<String> json(ConfigSection section, String key, JsonNode node) {
        JsonNode value = node == null ? null : node.get(key);
        section.has(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw section.error(key, "cannot be written as JSON");
        }
    }

    private static <E extends Enum<E>> Optional<E> enumValue(ConfigSection section, String key, Class<E> type) {
        return section.string(key).map(text -> parseEnum(section, key, text, type));
    }

    private static <E extends Enum<E>> E parseEnum(ConfigSection section, String key, String text, Class<E> type) {
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E value : type.getEnumConstants()) {
                allowed.add(value.name());
            }
            throw section.error(key, "'" + text + "' is not one of " + allowed);
        }
    }
}
