package io.parley.processor.flow;

import com.github.mustachejava.Code;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.util.LinkedHashSet;
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

    Template(String where, String source, Mustache mustache) {
        this.where = where;
        this.source = source;
        this.mustache = mustache;
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
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, scope);
        } catch (RuntimeException e) {
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
