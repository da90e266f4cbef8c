package io.parley.worker.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * A SQL statement with named parameters ({@code :orderId}) turned into a JDBC statement with
 * {@code ?} placeholders and the parameter names in order. The statement text is fixed in the
 * connector file; request values are only ever bound, never written into the text. Colons in
 * string literals, quoted identifiers, comments and PostgreSQL casts ({@code ::int}) are left alone.
 *
 * @param text the statement as configured
 * @param jdbc the statement sent to the database
 * @param parameters parameter names, one per {@code ?}, in order
 */
public record NamedSql(String text, String jdbc, List<String> parameters) {

    public static NamedSql parse(String text) {
        StringBuilder jdbc = new StringBuilder(text.length());
        List<String> parameters = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closing(text, i, c);
                jdbc.append(text, i, end);
                i = end;
            } else if (c == '-' && i + 1 < length && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                end = end < 0 ? length : end;
                jdbc.append(text, i, end);
                i = end;
            } else if (c == '/' && i + 1 < length && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("a /* comment is not closed");
                }
                jdbc.append(text, i, end + 2);
                i = end + 2;
            } else if (c == ':' && i + 1 < length && text.charAt(i + 1) == ':') {
                jdbc.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < length && Character.isJavaIdentifierStart(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < length && Character.isJavaIdentifierPart(text.charAt(end))) {
                    end++;
                }
                parameters.add(text.substring(i + 1, end));
                jdbc.append('?');
                i = end;
            } else {
                jdbc.append(c);
                i++;
            }
        }
        return new NamedSql(text, jdbc.toString(), List.copyOf(parameters));
    }

    /** The index just past the quote closing the literal opened at {@code start}; doubled quotes escape. */
    private static int closing(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("a " + quote + " quote is not closed");
    }

    /** The statement's first keyword, upper case ({@code SELECT}, {@code UPDATE}, ...). */
    public String firstKeyword() {
        String stripped = jdbc.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)--.*$", " ").strip();
        int end = 0;
        while (end < stripped.length() && Character.isLetter(stripped.charAt(end))) {
            end++;
        }
        return stripped.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }
}
