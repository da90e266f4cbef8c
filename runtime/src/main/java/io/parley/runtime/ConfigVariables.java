package io.parley.runtime;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.ConfigTransformerResult;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Resolves {@code ${provider:path:key}} references in configuration values with Kafka's own
 * {@link ConfigProvider}s, so secrets live in the environment or in files, never in configuration:
 * {@code ${env:NAME}}, {@code ${file:/path/to.properties:key}}, {@code ${directory:/path/to/dir:file}}.
 */
public final class ConfigVariables implements AutoCloseable {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]*?):(?:([^}]*?):)?([^}]*?)}");

    private final Map<String, ConfigProvider> providers;
    private final ConfigTransformer transformer;

    private ConfigVariables(Map<String, ConfigProvider> providers) {
        this.providers = providers;
        this.transformer = new ConfigTransformer(providers);
    }

    /** The env, file and directory providers, configured with Kafka's defaults. */
    public static ConfigVariables withStandardProviders() {
        Map<String, ConfigProvider> providers = new HashMap<>();
        providers.put("env", configured(new EnvVarConfigProvider()));
        providers.put("file", configured(new FileConfigProvider()));
        providers.put("directory", configured(new DirectoryConfigProvider()));
        return new ConfigVariables(providers);
    }

    private static ConfigProvider configured(ConfigProvider provider) {
        provider.configure(Map.of());
        return provider;
    }

    /** Whether the value holds a {@code ${...}} reference. */
    public static boolean hasReference(String value) {
        return value != null && REFERENCE.matcher(value).find();
    }

    /**
     * Resolves every reference in the value.
     *
     * @param where names the setting (file and field) for the error message
     * @throws ConfigException naming {@code where} and the reference (never the resolved value)
     *     when a provider is unknown or has no value for the key
     */
    public String resolve(String where, String value) {
        if (!hasReference(value)) {
            return value;
        }
        Matcher matcher = REFERENCE.matcher(value);
        while (matcher.find()) {
            String provider = matcher.group(1);
            if (!providers.containsKey(provider)) {
                throw new ConfigException(where + ": unknown config provider '" + provider + "' in " + matcher.group()
                        + "; known providers are " + List.copyOf(providers.keySet()));
            }
        }
        StringBuilder resolved = new StringBuilder();
        Matcher reference = REFERENCE.matcher(value);
        while (reference.find()) {
            reference.appendReplacement(resolved, Matcher.quoteReplacement(withoutFinalNewline(resolveOne(where, reference.group()))));
        }
        reference.appendTail(resolved);
        return resolved.toString();
    }

    private String resolveOne(String where, String reference) {
        ConfigTransformerResult result = transformer.transform(Map.of(where, reference));
        String resolved = result.data().get(where);
        if (resolved == null || hasReference(resolved)) {
            throw new ConfigException(where + ": " + reference + " did not resolve (no such variable, file or key)");
        }
        return resolved;
    }

    /**
     * A value read from a file keeps the line break its editor, {@code echo} or a Kubernetes secret
     * added at the end; nobody means it as part of a token. One final line break is dropped, as
     * users of other tools' file providers expect; anything else is kept as it is.
     */
    static String withoutFinalNewline(String value) {
        if (value.endsWith("\r\n")) {
            return value.substring(0, value.length() - 2);
        }
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    /** Resolves a secret: the value is wrapped so that it never shows in logs or messages. */
    public Secret resolveSecret(String where, String value) {
        return Secret.of(resolve(where, value));
    }

    /** Resolves every value of a map; keys name the settings in error messages after {@code prefix}. */
    public Map<String, String> resolveAll(String prefix, Map<String, String> values) {
        Map<String, String> resolved = new LinkedHashMap<>();
        values.forEach((key, value) -> resolved.put(key, resolve(prefix + key, value)));
        return resolved;
    }

    @Override
    public void close() {
        providers.values().forEach(provider -> {
            try {
                provider.close();
            } catch (Exception e) {
                // Closing a provider only releases resources; nothing to recover.
            }
        });
    }
}
