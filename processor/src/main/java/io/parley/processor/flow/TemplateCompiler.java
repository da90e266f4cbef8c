package io.parley.processor.flow;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.MapObjectHandler;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.apache.kafka.common.config.ConfigException;

/**
 * Compiles Mustache templates (mustache.java) for chat text. Three choices differ from
 * mustache.java's defaults, on purpose:
 * <ul>
 *   <li>no HTML escaping: replies are plain text, and channels escape for their own rendering;</li>
 *   <li>values are looked up in maps only, never by reflection on Java objects, so a template
 *       (notifications bring their own) cannot call methods;</li>
 *   <li>partials are refused, so a template cannot read files or classpath resources.</li>
 * </ul>
 */
public final class TemplateCompiler {

    /** What one rendering may produce unless told otherwise (the default of {@code limits.maxRequestBytes}). */
    public static final int DEFAULT_MAX_CHARS = 64 << 10;

    private final DefaultMustacheFactory factory = new PlainTextMustacheFactory();
    private final int maxChars;

    public TemplateCompiler() {
        this(DEFAULT_MAX_CHARS);
    }

    /** @param maxChars the most characters one rendering of a compiled template may produce */
    public TemplateCompiler(int maxChars) {
        this.maxChars = maxChars;
        factory.setObjectHandler(new MapObjectHandler());
    }

    /**
     * Compiles a template.
     *
     * @param where where the template is defined, for messages
     * @throws ConfigException naming {@code where} when the template is not valid Mustache
     */
    public Template compile(String where, String source) {
        try {
            Mustache mustache = factory.compile(new StringReader(source), where);
            return new Template(where, source, mustache, maxChars);
        } catch (MustacheException e) {
            throw new ConfigException(where + ": template syntax error: " + e.getMessage());
        } catch (RuntimeException e) {
            // The parser fails on some malformed delimiters with index errors of its own: still a syntax error.
            throw new ConfigException(where + ": template syntax error (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static final class PlainTextMustacheFactory extends DefaultMustacheFactory {

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException("partials and template inheritance are not supported ('" + resourceName + "')");
        }
    }
}
