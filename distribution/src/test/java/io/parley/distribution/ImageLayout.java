package io.parley.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The /app folder of Parley's container images rebuilt outside a container, from the same sources
 * Jib and the Dockerfile copy: bin/parley-start (src/image), libexec/parley-class-sharing.sh and
 * conf/logback.xml (src/dist, shared with the tarball's launchers) and libs/ for the jars.
 */
record ImageLayout(Path app) {

    /** The JAVA_OPTS every image sets (distribution/pom.xml and the Dockerfile; ContainerImagesTest keeps them equal). */
    static final String IMAGE_JAVA_OPTS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";

    private static final Path SOURCE = Path.of(System.getProperty("parley.distribution.source", "src/dist"));

    static ImageLayout create(Path directory) throws IOException {
        Path app = directory.resolve("app");
        Files.createDirectories(app.resolve("bin"));
        Files.createDirectories(app.resolve("libexec"));
        Files.createDirectories(app.resolve("libs"));
        Files.createDirectories(app.resolve("conf"));
        Files.copy(SOURCE.resolve("conf/logback.xml"), app.resolve("conf/logback.xml"));
        Files.copy(SOURCE.resolveSibling("image/app/bin/parley-start"), app.resolve("bin/parley-start"));
        Files.copy(SOURCE.resolve("libexec/parley-class-sharing.sh"), app.resolve("libexec/parley-class-sharing.sh"));
        return new ImageLayout(app);
    }

    Script entrypoint() {
        return new Script(app.resolve("bin/parley-start"));
    }

    Path logging() {
        return app.resolve("conf/logback.xml");
    }

    Path libs() {
        return app.resolve("libs");
    }
}
