package io.parley.worker.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code errors} of a GraphQL answer, whatever its HTTP status (servers answer 200, 400, 401
 * or 403 with the same shape): the first error's {@code extensions.code} says what kind of failure
 * it is, and its message, redacted and shortened, says what went wrong. Messages often quote the
 * values a request carried ({@code Variable "$email" got invalid value "bob@example.com"}), so
 * quoted values, e-mail addresses and long numbers are left out.
 */
final class GraphQlErrors {

    static final int MAX_MESSAGE_LENGTH = 200;
    private static final int REDACTION_WINDOW = 1000;
    private static final int MAX_CODE_LENGTH = 40;
    /** Quoted text, read left to right; an apostrophe inside a word (doesn't) opens nothing. */
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|(?<![\\p{L}\\p{N}])'[^']*'");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@\"']+@[^\\s@\"']+");
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{6,}");

    private GraphQlErrors() {
    }

    /**
     * The failure an answer's errors describe, if it has any.
     *
     * @param otherwise the status when the error's code says nothing more specific (CLIENT_ERROR for a
     *                  200 answer; what the HTTP status means otherwise)
     */
    static Optional<Failure> failure(JsonNode answer, Failure otherwise) {
        JsonNode errors = answer.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return Optional.empty();
        }
        JsonNode first = errors.get(0);
        String code = code(first);
        String message = "GraphQL error" + (code.isEmpty() ? "" : " (" + code + ")") + ": " + message(first);
        Failure classified = switch (code) {
            case "UNAUTHENTICATED", "UNAUTHORIZED", "FORBIDDEN", "ACCESS_DENIED", "INVALID_JWT", "INVALID_TOKEN" ->
                    Failure.permanent(BackendStatus.UNAUTHORIZED, message);
            case "NOT_FOUND" -> Failure.permanent(BackendStatus.NOT_FOUND, message);
            case "RATE_LIMITED", "TOO_MANY_REQUESTS", "THROTTLED" ->
                    Failure.retriable(BackendStatus.RATE_LIMITED, message).withRetryAfter(otherwise.retryAfter());
            case "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_REQUEST", "VALIDATION_FAILED",
                    "PARSE_FAILED", "PERSISTED_QUERY_NOT_FOUND" -> Failure.permanent(BackendStatus.CLIENT_ERROR, message);
            default -> new Failure(otherwise.status(), message, otherwise.retriable(), otherwise.retryAfter());
        };
        return Optional.of(classified);
    }

    /** The error's code in upper case with underscores ({@code access-denied} → {@code ACCESS_DENIED}), or empty. */
    private static String code(JsonNode error) {
        JsonNode code = error.path("extensions").path("code");
        if (!code.isTextual()) {
            return "";
        }
        String normalized = code.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return normalized.length() <= MAX_CODE_LENGTH && normalized.matches("[A-Z0-9_.]+") ? normalized : "";
    }

    /** The error's message, redacted, shortened and without control characters (it ends up in the response). */
    static String message(JsonNode error) {
        String message = error.path("message").asText("(no message)");
        // Bounded before any pattern runs: the patterns then take bounded time whatever the backend sends.
        if (message.length() > REDACTION_WINDOW) {
            message = message.substring(0, REDACTION_WINDOW);
        }
        message = withoutQuotedValues(message.replaceAll("\\p{Cntrl}", " "));
        message = EMAIL.matcher(message).replaceAll("…");
        message = LONG_NUMBER.matcher(message).replaceAll("…");
        return message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) + "…" : message;
    }

    /**
     * Quoted variable names ("$email") say where the problem is and stay; quoted values go. A quote
     * left open (its end cut off by the window) hides the rest of the message.
     */
    private static String withoutQuotedValues(String message) {
        Matcher quoted = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        int end = 0;
        while (quoted.find()) {
            out.append(message, end, quoted.start());
            String text = quoted.group();
            out.append(text.startsWith("$", 1) ? text : text.charAt(0) + "…" + text.charAt(0));
            end = quoted.end();
        }
        String tail = message.substring(end);
        int open = tail.indexOf('"');
        out.append(open < 0 ? tail : tail.substring(0, open) + "\"…");
        return out.toString();
    }
}
