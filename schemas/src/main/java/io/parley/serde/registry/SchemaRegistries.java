package io.parley.serde.registry;

import io.parley.serde.AvroSerdeConfig;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/** Builds the registry client a serde configuration asks for. */
public final class SchemaRegistries {

    private SchemaRegistries() {
    }

    /** An in-memory registry for {@code mock://<scope>}, otherwise an HTTP client with the configured auth. */
    public static SchemaRegistryClient fromConfig(AvroSerdeConfig config) {
        Optional<String> mockScope = config.mockScope();
        if (mockScope.isPresent()) {
            return InMemorySchemaRegistry.forScope(mockScope.get());
        }
        return new HttpSchemaRegistryClient(config.registryUrls(), authorization(config),
                config.connectTimeout(), config.readTimeout());
    }

    private static Optional<String> authorization(AvroSerdeConfig config) {
        Optional<String> bearer = config.bearerToken().map(token -> "Bearer " + token.value());
        if (bearer.isPresent()) {
            return bearer;
        }
        if (config.basicAuthSource() == AvroSerdeConfig.BasicAuthSource.USER_INFO) {
            return config.basicAuthUserInfo().map(Password::value).map(HttpSchemaRegistryClient::basicAuthorization);
        }
        // Source URL: the client takes the credentials from the URL's user info, if any.
        return Optional.empty();
    }
}
