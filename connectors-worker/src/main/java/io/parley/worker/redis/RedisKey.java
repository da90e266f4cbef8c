package io.parley.worker.redis;

import io.parley.worker.connector.InvalidRequestException;

/**
 * The rule for keys built from templates: a request's values may complete a key, never make it
 * mean something else. Glob characters are refused (a key is never a pattern), and so are control
 * characters, spaces and over-long keys.
 */
final class RedisKey {

    static final int MAX_LENGTH = 512;

    private RedisKey() {
    }

    /** @return the key when it is acceptable */
    static String check(String key) throws InvalidRequestException {
        if (key.isEmpty()) {
            throw new InvalidRequestException("the key is empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new InvalidRequestException("the key is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']') {
                throw new InvalidRequestException("the key may not contain the pattern character '" + c + "'");
            }
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                throw new InvalidRequestException("the key may not contain control or space characters");
            }
        }
        return key;
    }
}
