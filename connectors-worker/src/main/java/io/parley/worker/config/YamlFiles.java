package io.parley.worker.config;

import io.parley.runtime.config.ConfigSection;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/** Reads YAML configuration files into {@link ConfigSection}s; a key written twice is an error, not "last one wins". */
public final class YamlFiles {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private static final Pattern MARK = Pattern.compile("line \\d+, column \\d+");

    private YamlFiles() {
    }

    /** Reads a file; errors name it. */
    public static ConfigSection read(Path file) {
        return parse(file.toString(), readText(file));
    }

    /** A file's text; errors name it. */
    public static String readText(Path file) {
        String name = file.toString();
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": the file does not exist");
        } catch (IOException e) {
            throw new ConfigException(name + ": the file cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * The parser's message on one line: its statements, without the excerpts of the file and the
     * positions it interleaves (the caller adds the position once).
     */
    static String summary(String message) {
        return message.lines()
                .filter(line -> !line.isBlank() && !line.startsWith(" "))
                .map(String::strip)
                .reduce((first, second) -> first + "; " + second)
                .orElse("");
    }

    /** Where the problem is: the parser's last mark (the problem, after its context), else where Jackson stopped. */
    private static String position(JsonProcessingException e) {
        Matcher mark = MARK.matcher(e.getOriginalMessage());
        String position = null;
        while (mark.find()) {
            position = mark.group();
        }
        if (position == null && e.getLocation() != null) {
            position = "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return position == null ? "" : " (" + position + ")";
    }

    /** Parses YAML text; {@code name} is how errors name its origin. */
    public static ConfigSection parse(String name, String text) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            // The original message quotes the offending line; keep only Jackson's summary and location.
            throw new ConfigException(name + ": not valid YAML: " + summary(e.getOriginalMessage()) + position(e));
        }
        return ConfigSection.root(name, tree);
    }
}
