package io.parley.processor.flow;

import java.util.Optional;

/**
 * One problem of a flow file, where it is: {@code demo-shop.yaml:42:7 intents[order-status].reply: ...}.
 *
 * @param file the file as named on the command line or in configuration
 * @param path the entry's path in the file ({@code intents[order-status].reply}); empty for the file as a whole
 * @param message what is wrong
 * @param position the line and column of the entry, when known
 * @param excerpt the offending line with a caret under the column (syntax errors), or empty
 */
public record FlowProblem(String file, String path, String message, Optional<YamlLocations.Position> position,
                          String excerpt) {

    public FlowProblem {
        excerpt = excerpt == null ? "" : excerpt;
    }

    /** {@code file:line:column path: message}, on one line. */
    public String line() {
        StringBuilder text = new StringBuilder(file);
        position.ifPresent(at -> text.append(':').append(at.line()).append(':').append(at.column()));
        if (!path.isEmpty()) {
            text.append(' ').append(path);
        }
        return text.append(": ").append(message).toString();
    }

    /** The line, then the excerpt (if any) on the lines below. */
    public String render() {
        return excerpt.isEmpty() ? line() : line() + System.lineSeparator() + excerpt;
    }
}
