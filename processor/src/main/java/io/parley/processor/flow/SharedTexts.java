package io.parley.processor.flow;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Texts a flow set declares once under {@code shared:} (in any of its files) and every template of the set
 * may use as {@code {{shared.<name>}}}: a signature, an opening hours line, a legal notice. A use is
 * replaced by the text before the template is compiled, so a shared text may itself use template names
 * ({@code {{user.id}}}) and is checked where it is used, in that template's context.
 */
final class SharedTexts {

    /** The root templates name a shared text with. */
    static final String ROOT = "shared";

    private static final Pattern USE = Pattern.compile("\\{\\{\\s*shared\\.([^\\s}]*)\\s*\\}\\}");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*");

    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, String> declaredAt = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();

    /**
     * Declares a text.
     *
     * @param where the entry ({@code shop.yaml: shared.signature}), for messages
     * @throws ConfigException naming the entry when the name is not a name, is declared already, or the text uses a shared text
     */
    void declare(String where, String name, String text) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(where + ": a shared text's name must be letters and digits, starting with a letter");
        }
        String earlier = declaredAt.putIfAbsent(name, where);
        if (earlier != null) {
            throw new ConfigException(where + ": shared text '" + name + "' is already declared in " + earlier);
        }
        if (USE.matcher(text).find()) {
            // Reported once, here: its uses and its being unused are no further problems.
            texts.put(name, "");
            used.add(name);
            throw new ConfigException(where + ": a shared text cannot use another shared text");
        }
        texts.put(name, text);
    }

    /**
     * The template with every {@code {{shared.<name>}}} replaced by its text.
     *
     * @throws ConfigException naming the template when it uses a shared text that is not declared
     */
    String expand(String where, String source) {
        if (source == null || !source.contains(ROOT)) {
            return source;
        }
        Matcher uses = USE.matcher(source);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (uses.find()) {
            String name = uses.group(1);
            String text = texts.get(name);
            if (text == null) {
                throw new ConfigException(where + ": uses shared text '" + name + "', which is not declared; declared shared texts are "
                        + texts.keySet() + " (declare it under 'shared:')");
            }
            used.add(name);
            out.append(source, last, uses.start()).append(text);
            last = uses.end();
        }
        return out.append(source.substring(last)).toString();
    }

    /** Problems of texts no template uses, one per text. */
    List<ConfigException> unused() {
        return declaredAt.entrySet().stream().filter(entry -> !used.contains(entry.getKey()))
                .map(entry -> new ConfigException(entry.getValue() + ": shared text '" + entry.getKey()
                        + "' is not used by any template; use it as {{shared." + entry.getKey() + "}} or remove it"))
                .toList();
    }
}
