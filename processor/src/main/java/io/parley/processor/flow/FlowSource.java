package io.parley.processor.flow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where a flow file is read from: a file, or a resource on the classpath ({@code classpath:flows/demo-shop.yaml}).
 *
 * @param label how the file is named in messages (the path as configured)
 */
public record FlowSource(String label, Opener opener) {

    /** The prefix that selects a classpath resource in configuration. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    public FlowSource {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(opener, "opener");
    }

    public static FlowSource file(Path path) {
        return new FlowSource(path.toString(), () -> Files.newInputStream(path));
    }

    public static FlowSource classpath(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        return new FlowSource(CLASSPATH_PREFIX + name, () -> {
            InputStream in = FlowSource.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IOException("no such classpath resource");
            }
            return in;
        });
    }

    /**
     * A source as written in configuration: {@code classpath:<resource>}, or a path, relative paths
     * being resolved against {@code baseDirectory} (the configuration file's folder).
     */
    public static FlowSource parse(String spec, Path baseDirectory) {
        if (spec.startsWith(CLASSPATH_PREFIX)) {
            return classpath(spec.substring(CLASSPATH_PREFIX.length()));
        }
        Path path = Path.of(spec);
        return file(path.isAbsolute() || baseDirectory == null ? path : baseDirectory.resolve(path));
    }

    /** Opens the file. */
    public InputStream open() {
        try {
            return opener.open();
        } catch (IOException e) {
            throw new ConfigException(label + ": cannot read the flow file (" + e.getMessage() + ")");
        }
    }

    /** Opens a flow file for reading. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
