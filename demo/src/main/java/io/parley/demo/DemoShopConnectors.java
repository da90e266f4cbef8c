package io.parley.demo;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's connector file for local mode ({@value #TEMPLATE} on the class path): connector
 * {@code shop-api} (http) on the demo shop API and {@code shop-db} (jdbc) on the demo shop
 * database, with the addresses of this run filled in. The operations are those of the demo
 * contract, identical to docker-compose's {@code deploy/connectors.yaml}.
 */
public final class DemoShopConnectors {

    /** The template, with placeholders such as {@code @shopApiUrl@}. */
    public static final String TEMPLATE = "demo-shop/connectors.yaml";

    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Za-z]+)@");

    private DemoShopConnectors() {
    }

    /**
     * The connector file text for a demo shop API at {@code shopApiBaseUrl} and this database. The
     * file has no password: the in-memory database has none, and the worker would take one only
     * from a config provider, never written in the file.
     */
    public static String localYaml(String shopApiBaseUrl, DemoShopDatabase database) {
        return fill(DemoShopSql.read(TEMPLATE), Map.of(
                "shopApiUrl", shopApiBaseUrl,
                "jdbcUrl", database.jdbcUrl(),
                "jdbcUser", database.user()));
    }

    public static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("The connector template has no value for @" + matcher.group(1) + "@");
            }
            if (value.contains("\"") || value.contains("\\")) {
                // The placeholders sit in double-quoted YAML strings.
                throw new IllegalArgumentException("A connector value must not hold quotes or backslashes: " + matcher.group(1));
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }
}
