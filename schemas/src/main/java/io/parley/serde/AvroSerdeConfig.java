package io.parley.serde;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of Parley's Avro serde. The keys are those of Confluent's Avro serde, so
 * the same properties work with either and data written by one is read by the other.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    /** Accepted for compatibility with Confluent's serde; Parley's serde always reads specific records. */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    /** The URL prefix that selects an in-memory registry, scoped by the rest of the URL. */
    public static final String MOCK_URL_PREFIX = "mock://";

    /** Where the basic-auth credentials come from. */
    public enum BasicAuthSource {
        /** From {@value #BASIC_AUTH_USER_INFO}. */
        USER_INFO,
        /** From the user-info part of the registry URL ({@code https://user:secret@host}). */
        URL
    }

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, AvroSerdeConfig::requireAUrl, Importance.HIGH,
                    "Comma-separated Schema Registry URLs, tried in order; mock://<scope> selects an in-memory registry shared by everything using the same scope in this JVM.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register the record's schema under the subject when serializing; when false the schema must already be registered.")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW,
                    "Serialize with the latest version registered under the subject instead of looking up the record's own schema; the two must be the same schema apart from documentation.")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, BasicAuthSource.URL.name(),
                    ConfigDef.ValidString.in(BasicAuthSource.URL.name(), BasicAuthSource.USER_INFO.name()),
                    Importance.MEDIUM, "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL (user:password@ in the registry URL).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "Basic-auth credentials as user:password, used when basic.auth.credentials.source is USER_INFO.")
            .define(BEARER_AUTH_CREDENTIALS_SOURCE, Type.STRING, "STATIC_TOKEN",
                    ConfigDef.ValidString.in("STATIC_TOKEN"), Importance.LOW,
                    "Where the bearer token comes from; only STATIC_TOKEN (bearer.auth.token) is supported.")
            .define(BEARER_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "A bearer token sent as Authorization: Bearer <token>; takes precedence over basic auth.")
            .define(HTTP_CONNECT_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Timeout for connecting to the registry, in milliseconds.")
            .define(HTTP_READ_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Timeout for a registry answer, in milliseconds.")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, true, Importance.LOW,
                    "Accepted for compatibility with Confluent's serde; Parley always reads the generated classes.");

    private static void requireAUrl(String name, Object value) {
        if (value == null || ((List<?>) value).isEmpty()) {
            throw new ConfigException(name, value,
                    "at least one registry URL is needed, for example http://localhost:8081 or mock://tests");
        }
    }

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** The definition, for documentation and tests. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    public List<String> registryUrls() {
        return getList(SCHEMA_REGISTRY_URL);
    }

    /** The scope of the in-memory registry, when the URL is {@code mock://<scope>}. */
    public Optional<String> mockScope() {
        String first = registryUrls().get(0);
        return first.startsWith(MOCK_URL_PREFIX)
                ? Optional.of(first.substring(MOCK_URL_PREFIX.length()))
                : Optional.empty();
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public BasicAuthSource basicAuthSource() {
        return BasicAuthSource.valueOf(getString(BASIC_AUTH_CREDENTIALS_SOURCE));
    }

    public Optional<Password> basicAuthUserInfo() {
        return Optional.ofNullable(getPassword(BASIC_AUTH_USER_INFO));
    }

    public Optional<Password> bearerToken() {
        return Optional.ofNullable(getPassword(BEARER_AUTH_TOKEN));
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getInt(HTTP_CONNECT_TIMEOUT_MS));
    }

    public Duration readTimeout() {
        return Duration.ofMillis(getInt(HTTP_READ_TIMEOUT_MS));
    }
}
