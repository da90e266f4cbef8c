package io.parley.processor.flow;

import com.github.mustachejava.Code;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled Mustache template of a flow (a reply, a prompt, a call parameter). Created by
 * {@link TemplateCompiler}; immutable and safe to share between stream threads.
 */
public final class Template {

    private final String where;
    private final String source;
    private final Mustache mustache;
    private final int maxChars;

    Template(String where, String source, Mustache mustache, int maxChars) {
        this.where = where;
        this.source = source;
        this.mustache = mustache;
        this.maxChars = maxChars;
    }

    /** Where the template is defined ({@code demo-shop.yaml: intents[order-status].reply}). */
    public String where() {
        return where;
    }

    public String source() {
        return source;
    }

    /**
     * Renders the template with the scope.
     *
     * @throws TemplateRenderException naming where the template is defined
     */
    public String render(Map<String, ?> scope) {
        BoundedWriter out = new BoundedWriter(maxChars);
        try {
            mustache.execute(out, scope);
        } catch (RuntimeException e) {
            if (BoundedWriter.isFull(e)) {
                // A section over a long list can multiply what a session holds; the output is bounded.
                throw new TemplateRenderException(where + ": the template rendered more than " + maxChars + " characters");
            }
            throw new TemplateRenderException(where + ": the template failed to render (" + e.getClass().getSimpleName() + ")", e);
        }
        return out.toString();
    }

    /**
     * Renders a template whose output is a message for a user: a blank result is an error, since
     * sending an empty message would leave the user without an answer.
     */
    public String renderMessage(Map<String, ?> scope) {
        String text = render(scope).strip();
        if (text.isEmpty()) {
            throw new TemplateRenderException(where + ": the template rendered an empty message");
        }
        return text;
    }

    /** Every variable and section name the template uses, as written ({@code slots.orderId}, ...). */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        collect(mustache.getCodes(), names);
        return names;
    }

    /**
     * Every name the template uses, with the sections it is used in (outermost first): what
     * {@link ResultFields} needs to know which fields of a result a flow reads.
     */
    public List<Use> uses() {
        List<Use> uses = new ArrayList<>();
        collect(mustache.getCodes(), List.of(), uses);
        return uses;
    }

    /**
     * One use of a name.
     *
     * @param name the name as written ({@code results.order.status}, {@code .})
     * @param within the names of the enclosing sections, outermost first
     * @param kind how the name is used
     */
    public record Use(String name, List<String> within, Kind kind) {

        /** How a name is used. */
        public enum Kind {
            /** Its value is written ({@code {{name}}}). */
            VALUE,
            /** A section over it ({@code {{#name}}}): its value becomes the context of what is inside. */
            SECTION,
            /** An inverted section ({@code {{^name}}}): only whether it is empty matters. */
            INVERTED
        }
    }

    private static void collect(Code[] codes, List<String> within, List<Use> uses) {
        if (codes == null) {
            return;
        }
        for (Code code : codes) {
            String name = code.getName();
            List<String> inner = within;
            if (name != null && !name.isEmpty()) {
                Use.Kind kind = code instanceof NotIterableCode ? Use.Kind.INVERTED
                        : code instanceof IterableCode ? Use.Kind.SECTION : Use.Kind.VALUE;
                uses.add(new Use(name, within, kind));
                if (kind != Use.Kind.VALUE) {
                    List<String> deeper = new ArrayList<>(within);
                    deeper.add(name);
                    inner = List.copyOf(deeper);
                }
            }
            collect(code.getCodes(), inner, uses);
        }
    }

    private static void collect(Code[] codes, Set<String> names) {
        if (codes == null) {
            return;
        }
        for (Code code : codes) {
            if (code.getName() != null && !code.getName().isEmpty()) {
                names.add(code.getName());
            }
            collect(code.getCodes(), names);
        }
    }

    @Override
    public String toString() {
        return where;
    }
}
