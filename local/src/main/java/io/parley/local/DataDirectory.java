package io.parley.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder where local mode keeps what outlives a run (default {@code .parley/}): the broker's
 * data, the schema registry's journal and the log. {@code --fresh} wipes it — but only a folder
 * local mode made itself (it holds a marker file), so a mistyped {@code --data-dir} cannot
 * delete anything else.
 */
public final class DataDirectory {

    static final String MARKER = ".parley-local";

    private final Path root;

    private DataDirectory(Path root) {
        this.root = root;
    }

    /**
     * Creates the folder if needed, wiping it first when {@code fresh}.
     *
     * @throws IllegalStateException when asked to wipe a non-empty folder local mode did not make
     */
    public static DataDirectory prepare(Path root, boolean fresh) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            if (fresh && Files.exists(absolute)) {
                if (!Files.exists(absolute.resolve(MARKER)) && !isEmpty(absolute)) {
                    throw new IllegalStateException("Refusing to wipe " + absolute + ": it is not a folder Parley's local mode made"
                            + " (no " + MARKER + " file in it). Choose another --data-dir.");
                }
                deleteRecursively(absolute);
            }
            Files.createDirectories(absolute);
            Path marker = absolute.resolve(MARKER);
            if (!Files.exists(marker)) {
                Files.writeString(marker, "Parley local mode data; `./parley --fresh` wipes this folder.\n");
            }
            return new DataDirectory(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the local mode data folder " + absolute + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The broker's data (metadata and logs), kept between runs. */
    public Path kafka() {
        return root.resolve("kafka");
    }

    /** The schema registry's journal of registrations. */
    public Path schemaJournal() {
        return root.resolve("registry").resolve("schemas.jsonl");
    }

    /** Kafka Streams' state (the processor's RocksDB stores): conversations outlive a restart. */
    public Path streams() {
        return root.resolve("streams");
    }

    /** The session lookup's bearer token of the current run, readable by its owner only. */
    public Path adminToken() {
        return root.resolve("admin-token");
    }

    /** The key that pseudonymises user ids in the audit stream; kept, so a user's pseudonym stays the same. */
    public Path auditKey() {
        return root.resolve("audit-key");
    }

    /** The log file of a local mode run. */
    public Path logFile() {
        return root.resolve("parley.log");
    }

    private static boolean isEmpty(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
