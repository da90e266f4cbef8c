package io.parley.processor.flow;

import io.parley.processor.audit.TextLimit;
import java.util.Map;

/**
 * A notification's template: plain text with {@code {{name}}} placeholders, and nothing else.
 *
 * <p>Notification templates come from whatever produces notifications, not from the flows the
 * operator reviewed; compiled as Mustache, 3,000 nested sections (36 kB) exhausted the stack and
 * crash-looped the processor. So a notification may only name values: {@code {{orderId}}} or
 * {@code {{data.orderId}}} (its own data), {@code {{user.id}}} and {@code {{user.channel}}}. A name
 * without a value renders as nothing, as in Mustache. Sections, inverted sections, partials,
 * comments, delimiter changes and triple braces are refused with the reason. Rendering is one
 * pass over the template, and its output is cut at a maximum length.
 */
public final class NotificationTemplate {

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";
    /** The longest placeholder name. */
    private static final int MAX_NAME = 200;

    private NotificationTemplate() {
    }

    /**
     * Renders the template.
     *
     * @param values the values by name ({@code orderId}, {@code data.orderId}, {@code user.id}, ...)
     * @param maxChars the longest text; a longer one is cut, ending with "…"
     * @throws IllegalArgumentException naming what is not a plain placeholder, and where (never the values)
     */
    public static String render(String template, Map<String, String> values, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(template.length(), maxChars) + 16);
        int at = 0;
        while (at < template.length() && out.length() <= maxChars) {
            int open = template.indexOf(OPEN, at);
            if (open < 0) {
                append(out, template, at, template.length(), maxChars);
                break;
            }
            append(out, template, at, open, maxChars);
            int close = template.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at index " + open + " is not closed by '}}'");
            }
            String name = template.substring(open + OPEN.length(), close).strip();
            if (!isName(name)) {
                throw new IllegalArgumentException("'{{' at index " + open + " is not a plain placeholder such as {{orderId}};"
                        + " sections, partials, comments and triple braces are not supported in notifications");
            }
            String value = values.get(name);
            if (value != null) {
                append(out, value, 0, value.length(), maxChars);
            }
            at = close + CLOSE.length();
        }
        return out.length() > maxChars ? cutTo(out, maxChars) : out.toString();
    }

    private static boolean isName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = Character.isLetterOrDigit(c) || c == '_' || c == '-' || (c == '.' && i > 0);
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Appends at most one character past {@code maxChars}, so a cut is detected without copying the rest. */
    private static void append(StringBuilder out, String text, int from, int to, int maxChars) {
        int room = maxChars + 1 - out.length();
        if (room > 0) {
            out.append(text, from, Math.min(to, from + room));
        }
    }

    private static String cutTo(StringBuilder out, int maxChars) {
        return TextLimit.cut(out.toString(), maxChars);
    }
}
