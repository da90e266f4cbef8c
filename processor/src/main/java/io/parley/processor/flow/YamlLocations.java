package io.parley.processor.flow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Where every entry of a YAML file is, by the path used in messages ({@code intents[order-status].slots.orderId}),
 * read with the same parser as the file itself. It also finds what the tree of values silently hides: a key that
 * appears twice in one mapping (the parser keeps the last value). List items with a {@code name} are found by
 * their name too ({@code intents[order-status]} as well as {@code intents[2]}).
 */
public final class YamlLocations {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** A line and column, both counted from 1. */
    public record Position(int line, int column) {
    }

    /** A key that appears twice in one mapping. */
    public record Duplicate(String path, String key, Position first, Position again) {
    }

    /** The file is not valid YAML. */
    public static final class SyntaxError extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient Optional<Position> position;
        private final String problem;
        private final String excerpt;

        SyntaxError(Optional<Position> position, String problem, String excerpt) {
            super(problem);
            this.position = position;
            this.problem = problem;
            this.excerpt = excerpt;
        }

        public Optional<Position> position() {
            return position;
        }

        /** What the parser found, in one line. */
        public String problem() {
            return problem;
        }

        /** The offending line and a caret under the column; empty when the position is unknown. */
        public String excerpt() {
            return excerpt;
        }
    }

    private final Map<String, Position> positions;
    private final List<Duplicate> duplicates;

    private YamlLocations(Map<String, Position> positions, List<Duplicate> duplicates) {
        this.positions = positions;
        this.duplicates = duplicates;
    }

    /**
     * Reads the positions of a YAML document's entries.
     *
     * @throws SyntaxError when the text is not valid YAML
     */
    public static YamlLocations read(String text) throws SyntaxError {
        Walk walk = new Walk();
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != null) {
                walk.value(parser, first, "");
            }
        } catch (JsonProcessingException e) {
            throw syntaxError(text, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return walk.result();
    }

    /** The position of the entry at the path, or of the closest enclosing entry that has one. */
    public Optional<Position> find(String path) {
        String current = path;
        while (!current.isEmpty()) {
            Position position = positions.get(current);
            if (position != null) {
                return Optional.of(position);
            }
            current = parent(current);
        }
        return Optional.empty();
    }

    /** Keys that appear twice in a mapping, in file order. */
    public List<Duplicate> duplicates() {
        return duplicates;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    private static SyntaxError syntaxError(String text, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            // Where the parser found the problem, not where the construct it was reading began.
            Position at = new Position(marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1);
            String problem = marked.getContext() == null ? marked.getProblem() : marked.getContext() + "; " + marked.getProblem();
            return new SyntaxError(Optional.of(at), problem, excerpt(text, at));
        }
        JsonLocation location = e.getLocation();
        String problem = oneLine(e);
        if (location == null || location.getLineNr() < 1) {
            return new SyntaxError(Optional.empty(), problem, "");
        }
        Position at = new Position(location.getLineNr(), Math.max(1, location.getColumnNr()));
        return new SyntaxError(Optional.of(at), problem, excerpt(text, at));
    }

    /** SnakeYAML's messages span lines (context, problem, a copy of the text): keep what it says, not where. */
    private static String oneLine(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\\R")) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("in 'reader'") || stripped.startsWith("in 'string'")
                    || stripped.startsWith("^") || line.startsWith("    ")) {
                continue;
            }
            kept.add(stripped.endsWith(":") ? stripped.substring(0, stripped.length() - 1) : stripped);
        }
        return kept.isEmpty() ? message.strip() : String.join("; ", kept);
    }

    private static String excerpt(String text, Position at) {
        String[] lines = text.split("\\R", -1);
        if (at.line() > lines.length) {
            return "";
        }
        String line = lines[at.line() - 1];
        String caret = " ".repeat(Math.min(at.column() - 1, line.length())) + "^";
        return "  " + line + System.lineSeparator() + "  " + caret;
    }

    private static Position position(JsonLocation location) {
        return new Position(location.getLineNr(), location.getColumnNr());
    }

    /** One pass over the tokens, remembering where each path starts. */
    private static final class Walk {

        private final Map<String, Position> positions = new LinkedHashMap<>();
        private final List<Duplicate> duplicates = new ArrayList<>();
        /** {@code intents[2]} → {@code order-status}: list items found by their name. */
        private final Map<String, String> itemNames = new HashMap<>();

        void value(JsonParser parser, JsonToken token, String path) throws IOException {
            positions.putIfAbsent(path, position(parser.currentTokenLocation()));
            if (token == JsonToken.START_OBJECT) {
                Map<String, Position> seen = new HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Position at = position(parser.currentTokenLocation());
                    String child = path.isEmpty() ? key : path + "." + key;
                    Position first = seen.putIfAbsent(key, at);
                    if (first != null) {
                        duplicates.add(new Duplicate(path, key, first, at));
                    }
                    positions.putIfAbsent(child, at);
                    JsonToken next = parser.nextToken();
                    if (key.equals("name") && next.isScalarValue() && path.endsWith("]")) {
                        itemNames.put(path, parser.getText());
                    }
                    value(parser, next, child);
                }
            } else if (token == JsonToken.START_ARRAY) {
                int index = 0;
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    value(parser, next, path + "[" + index++ + "]");
                }
            }
        }

        YamlLocations result() {
            Map<String, Position> all = new LinkedHashMap<>(positions);
            positions.forEach((path, position) -> all.putIfAbsent(named(path), position));
            List<Duplicate> named = duplicates.stream()
                    .map(d -> new Duplicate(named(d.path()), d.key(), d.first(), d.again())).toList();
            return new YamlLocations(Map.copyOf(all), named);
        }

        /** {@code intents[2].reply} → {@code intents[order-status].reply}, as messages name it. */
        private String named(String path) {
            String result = path;
            for (Map.Entry<String, String> item : itemNames.entrySet()) {
                String indexed = item.getKey();
                if (result.equals(indexed) || result.startsWith(indexed + ".") || result.startsWith(indexed + "[")) {
                    String open = indexed.substring(0, indexed.lastIndexOf('['));
                    result = open + "[" + item.getValue() + "]" + result.substring(indexed.length());
                }
            }
            return result;
        }
    }
}
