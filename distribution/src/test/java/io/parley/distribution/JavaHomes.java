package io.parley.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Java installations of this machine beside the one running the tests, for launcher runs on another Java. */
final class JavaHomes {

    /** Where Debian (and Temurin's packages) install them. */
    static final Path FOLDER = Path.of("/usr/lib/jvm");
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(\\d+)");

    private JavaHomes() {
    }

    /** The newest Java home of at least this feature version with a runnable java, if any. */
    static Optional<Path> atLeast(int feature) throws IOException {
        if (!Files.isDirectory(FOLDER)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(FOLDER)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> feature(home) >= feature)
                    .max(Comparator.comparingInt(JavaHomes::feature));
        }
    }

    /** The feature version its release file names (25 for 25.0.3); 0 without one. */
    static int feature(Path home) {
        try {
            Matcher version = VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
