package io.parley.e2e.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A test class's folder under {@code target/e2e}: configuration files, state, and the logs of child
 * JVMs. Emptied when a run starts and kept afterwards, so a failure can be read about.
 */
public final class RunDirectory {

    private RunDirectory() {
    }

    public static Path fresh(Class<?> testClass) {
        Path directory = Path.of("target", "e2e", testClass.getSimpleName()).toAbsolutePath();
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(RunDirectory::delete);
                }
            }
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
