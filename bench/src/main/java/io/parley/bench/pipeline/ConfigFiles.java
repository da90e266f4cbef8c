package io.parley.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Writes the configuration files of the pipeline under test (processor.yaml, worker.yaml, connectors.yaml). */
final class ConfigFiles {

    // Strings stay quoted, so that values such as "true" or "0100" keep their text.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private ConfigFiles() {
    }

    /** Writes {@code content} as YAML to {@code file} and returns the file. */
    static Path write(Path file, Map<String, ?> content) {
        try {
            YAML.writeValue(file.toFile(), content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the bench's " + file.getFileName() + " to " + file, e);
        }
    }

    /** A configuration map as the string map the {@code kafka:} and {@code schemaRegistry:} sections hold. */
    static Map<String, String> strings(Map<String, ?> map) {
        Map<String, String> strings = new TreeMap<>();
        map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }
}
