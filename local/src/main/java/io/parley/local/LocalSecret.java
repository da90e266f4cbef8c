package io.parley.local;

import io.parley.runtime.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A secret of local mode (the session lookup's token, the audit pseudonym key), taken from an
 * environment variable when it is set, otherwise from a file in the data folder that only its
 * owner can read. The secret itself is never printed: {@link #shellReference()} tells the user
 * how to use it from a shell.
 *
 * @param value the secret
 * @param shellReference how a shell command refers to it, e.g. {@code $(cat /home/me/.parley/admin-token)}
 */
public record LocalSecret(Secret value, String shellReference) {

    /** The shortest secret the processor accepts for its token and its pseudonym key. */
    public static final int MIN_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BYTES = 24;

    /**
     * The secret from {@code environment[variable]}, else a new random one written to {@code file}
     * (replacing what it held): a new secret for every run.
     */
    public static LocalSecret perRun(String variable, Map<String, String> environment, Path file) {
        return fromEnvironment(variable, environment).orElseGet(() -> written(file, random()));
    }

    /**
     * The secret from {@code environment[variable]}, else the one kept in {@code file}, else a new
     * random one written there: the same secret from run to run.
     */
    public static LocalSecret kept(String variable, Map<String, String> environment, Path file) {
        return fromEnvironment(variable, environment).orElseGet(() -> {
            try {
                if (Files.exists(file)) {
                    String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                    return new LocalSecret(Secret.of(requireLength(file.toString(), kept)), "$(cat " + file + ")");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
            }
            return written(file, random());
        });
    }

    private static Optional<LocalSecret> fromEnvironment(String variable, Map<String, String> environment) {
        String value = environment.get(variable);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LocalSecret(Secret.of(requireLength("The environment variable " + variable, value)),
                "$" + variable));
    }

    private static String requireLength(String where, String value) {
        if (value.length() < MIN_LENGTH) {
            // The message names where the secret came from, never the secret.
            throw new IllegalArgumentException(where + " holds a secret shorter than " + MIN_LENGTH
                    + " characters; use at least " + MIN_LENGTH + " characters of random text");
        }
        return value;
    }

    private static String random() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static LocalSecret written(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            // Owner-only before the secret goes in, so it is never readable by others, not even briefly.
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, secret + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            return new LocalSecret(Secret.of(secret), "$(cat " + file + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
