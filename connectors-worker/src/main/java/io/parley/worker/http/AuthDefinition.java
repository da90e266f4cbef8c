package io.parley.worker.http;

import io.parley.runtime.config.ConfigSection;

import io.parley.runtime.ConfigVariables;
import io.parley.runtime.Secret;
import io.parley.worker.config.SecretFields;
import java.util.Locale;
import java.util.Optional;

/**
 * How an HTTP or GraphQL connector authenticates, as read from its {@code auth:} section. Secret
 * values are {@link Secret}s, resolved from config providers at start.
 */
public sealed interface AuthDefinition {

    String TYPE = "type";

    /** No credentials. */
    record None() implements AuthDefinition {
    }

    /** A fixed API key in a header ({@code X-Api-Key} unless named). */
    record ApiKey(String header, Secret value) implements AuthDefinition {
        static final String HEADER = "header";
        static final String VALUE = "value";
    }

    /** {@code Authorization: Bearer <token>} with a fixed token. */
    record Bearer(Secret token) implements AuthDefinition {
        static final String TOKEN = "token";
    }

    /** {@code Authorization: Basic ...}. */
    record Basic(String username, Secret password) implements AuthDefinition {
        static final String USERNAME = "username";
        static final String PASSWORD = "password";
    }

    /**
     * OAuth2 client credentials (RFC 6749 §4.4): a token fetched from {@code tokenUrl}, cached until
     * shortly before it expires, fetched again once when the backend answers 401.
     *
     * @param clientAuthentication {@code basic} (client id and secret in an Authorization header,
     *     the default) or {@code body} (as form fields)
     */
    record OAuth2(BaseUrl tokenUrl, String clientId, Secret clientSecret, Optional<String> scope,
                  Optional<String> audience, ClientAuthentication clientAuthentication) implements AuthDefinition {
        static final String TOKEN_URL = "tokenUrl";
        static final String CLIENT_ID = "clientId";
        static final String CLIENT_SECRET = "clientSecret";
        static final String SCOPE = "scope";
        static final String AUDIENCE = "audience";
        static final String CLIENT_AUTHENTICATION = "clientAuthentication";
    }

    /** Where OAuth2 client credentials go in the token request. */
    enum ClientAuthentication { BASIC, BODY }

    /** Reads an {@code auth:} section; an absent section means no credentials. */
    static AuthDefinition from(Optional<ConfigSection> section, ConfigVariables variables) {
        if (section.isEmpty()) {
            return new None();
        }
        ConfigSection auth = section.get();
        String type = auth.requiredString(TYPE).toLowerCase(Locale.ROOT);
        return switch (type) {
            case "none" -> {
                auth.allowOnly(TYPE);
                yield new None();
            }
            case "apikey" -> {
                auth.allowOnly(TYPE, ApiKey.HEADER, ApiKey.VALUE);
                String header = auth.string(ApiKey.HEADER).orElse("X-Api-Key");
                HeaderNames.requireAllowedForCredentials(auth, ApiKey.HEADER, header);
                yield new ApiKey(header, SecretFields.headerValue(auth, ApiKey.VALUE, variables));
            }
            case "bearer" -> {
                auth.allowOnly(TYPE, Bearer.TOKEN);
                yield new Bearer(SecretFields.headerValue(auth, Bearer.TOKEN, variables));
            }
            case "basic" -> {
                auth.allowOnly(TYPE, Basic.USERNAME, Basic.PASSWORD);
                String username = SecretFields.plainOrReference(auth, Basic.USERNAME, variables)
                        .orElseThrow(() -> auth.error(Basic.USERNAME, "is required"));
                yield new Basic(username, SecretFields.required(auth, Basic.PASSWORD, variables));
            }
            case "oauth2" -> {
                auth.allowOnly(TYPE, OAuth2.TOKEN_URL, OAuth2.CLIENT_ID, OAuth2.CLIENT_SECRET, OAuth2.SCOPE,
                        OAuth2.AUDIENCE, OAuth2.CLIENT_AUTHENTICATION);
                BaseUrl tokenUrl;
                try {
                    tokenUrl = BaseUrl.parse(auth.requiredString(OAuth2.TOKEN_URL));
                } catch (IllegalArgumentException e) {
                    throw auth.error(OAuth2.TOKEN_URL, e.getMessage());
                }
                String clientId = SecretFields.plainOrReference(auth, OAuth2.CLIENT_ID, variables)
                        .orElseThrow(() -> auth.error(OAuth2.CLIENT_ID, "is required"));
                yield new OAuth2(tokenUrl, clientId, SecretFields.required(auth, OAuth2.CLIENT_SECRET, variables),
                        auth.string(OAuth2.SCOPE), auth.string(OAuth2.AUDIENCE),
                        auth.enumValue(OAuth2.CLIENT_AUTHENTICATION, ClientAuthentication.class)
                                .orElse(ClientAuthentication.BASIC));
            }
            default -> throw auth.error(TYPE, "'" + type + "' is not one of [none, apiKey, bearer, basic, oauth2]");
        };
    }
}
