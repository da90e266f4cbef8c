package io.parley.worker.connector;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code {name}} placeholders filled from a request's parameters, e.g. the path
 * template {@code /orders/{orderId}}. Each inserted value goes through an encoder chosen by the
 * place it lands in (a path segment, a query value), so a value can never change the structure
 * around it.
 */
public final class TextTemplate {

    /** A placeholder: a parameter name with an optional {@code :type} suffix (used by JSON templates). */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]*)(?::([a-z]+))?}");

    private final String text;
    private final List<Part> parts;

    private TextTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException when a brace does not open a well-formed placeholder
     */
    public static TextTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        int last = 0;
        while (matcher.find()) {
            addLiteral(parts, text.substring(last, matcher.start()));
            if (matcher.group(2) != null) {
                throw new IllegalArgumentException("'" + matcher.group() + "': a type suffix is only allowed where the"
                        + " placeholder is the whole value of a JSON template");
            }
            parts.add(new Part(matcher.group(1), true));
            last = matcher.end();
        }
        addLiteral(parts, text.substring(last));
        return new TextTemplate(text, List.copyOf(parts));
    }

    private static void addLiteral(List<Part> parts, String literal) {
        if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
            throw new IllegalArgumentException("'" + literal + "' has a brace that is not a {name} placeholder");
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(literal, false));
        }
    }

    /** The parameter names this template uses, in order of first use. */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>();
        parts.stream().filter(Part::placeholder).forEach(part -> names.add(part.value()));
        return names;
    }

    /**
     * Fills the placeholders.
     *
     * @param encoder applied to each inserted value (never to the template's own text)
     * @throws InvalidRequestException naming a parameter the request does not carry
     */
    public String render(Map<String, String> params, UnaryOperator<String> encoder) throws InvalidRequestException {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (!part.placeholder()) {
                out.append(part.value());
                continue;
            }
            String value = params.get(part.value());
            if (value == null) {
                throw new InvalidRequestException("missing parameter '" + part.value() + "'");
            }
            out.append(encoder.apply(value));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    private record Part(String value, boolean placeholder) {
    }
}
