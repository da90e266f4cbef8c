package io.parley.worker.redis;

import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.FailureClassifier;
import java.util.HashSet;
import java.util.Set;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Classifies what Jedis throws: refused credentials are permanent and never retried, a busy
 * server is retriable, an error reply is permanent (named by its error code only: Redis puts
 * script text and values in the rest of the message), and broken connections and timeouts are
 * left to {@link FailureClassifier}.
 */
final class RedisFailures {

    private RedisFailures() {
    }

    static Failure classify(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause instanceof JedisAccessControlException || authenticationError(cause)) {
                return Failure.permanent(BackendStatus.UNAUTHORIZED, "the Redis server refused the credentials");
            }
            if (cause instanceof JedisBusyException) {
                return Failure.retriable(BackendStatus.SERVER_ERROR, "the Redis server is busy running a script");
            }
            if (cause instanceof JedisDataException) {
                return Failure.permanent(BackendStatus.SERVER_ERROR, "the Redis server refused the command ("
                        + errorCode(cause.getMessage()) + ")");
            }
        }
        return FailureClassifier.classify(failure);
    }

    private static boolean authenticationError(Throwable cause) {
        if (!(cause instanceof JedisDataException) || cause.getMessage() == null) {
            return false;
        }
        String code = errorCode(cause.getMessage());
        return code.equals("NOAUTH") || code.equals("WRONGPASS") || code.equals("NOPERM");
    }

    /** The error code that starts a Redis error reply ({@code WRONGTYPE}, {@code ERR}, ...). */
    private static String errorCode(String message) {
        if (message == null || message.isBlank()) {
            return "unknown";
        }
        String first = message.strip().split("\\s+", 2)[0];
        return first.chars().allMatch(c -> Character.isUpperCase(c) || c == '_') ? first : "error";
    }
}
