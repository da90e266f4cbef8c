package io.parley.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a report's JSON into the results folder twice: under a timestamped name that is kept,
 * and as {@code latest.json}, which each run replaces.
 */
public final class ResultFiles {

    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;

    public ResultFiles(Path directory) {
        this.directory = directory;
    }

    /** The files written. */
    public record Written(Path timestamped, Path latest) {
    }

    public Written write(BenchReport report) {
        String json = JsonReport.render(report);
        Path timestamped = directory.resolve("bench-" + FILE_STAMP.format(report.startedAt()) + ".json");
        Path latest = directory.resolve("latest.json");
        try {
            Files.createDirectories(directory);
            Files.writeString(timestamped, json, StandardCharsets.UTF_8);
            // Written beside and moved, so a reader never sees half a latest.json.
            Path partial = directory.resolve("latest.json.partial");
            Files.writeString(partial, json, StandardCharsets.UTF_8);
            Files.move(partial, latest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the bench results under " + directory.toAbsolutePath(), e);
        }
        return new Written(timestamped, latest);
    }
}
