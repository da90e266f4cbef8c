package io.parley.registry.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.serde.registry.CompatibilityLevel;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Keeps a registry's changes across restarts. Local mode keeps its Kafka data between runs, and
 * every record on it names its schema by registry id; an in-memory registry starting empty would
 * hand out the same ids to other schemas. The journal is a file of JSON lines, one per change, in
 * the order the registry made them: a new version ({@code {"subject": ..., "schema": ...}}), a
 * deleted version or subject ({@code "op": "delete-version" | "delete-subject"}) and a
 * compatibility level set or removed ({@code "op": "config"}). Replaying it into an empty registry
 * gives every schema its old id and version back, because the registry numbers ids and versions
 * in the order of its changes.
 */
public final class SchemaJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private SchemaJournal(Path file) {
        this.file = file;
    }

    /** A journal kept in this file (created on the first change). */
    public static SchemaJournal inFile(Path file) {
        return new SchemaJournal(file);
    }

    public Path file() {
        return file;
    }

    /**
     * Makes every journaled change again, in order, in an empty registry.
     *
     * @return how many changes were replayed
     * @throws IllegalStateException naming the file and line when the journal cannot be read
     */
    public int replayInto(InMemorySchemaRegistry registry) {
        if (!registry.subjects(true).isEmpty()) {
            throw new IllegalStateException("A schema journal is replayed into an empty registry only");
        }
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the schema journal " + file, e);
        }
        int replayed = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                replay(JSON.readTree(line), registry);
                replayed++;
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("The schema journal " + file + " is damaged at line " + (i + 1)
                        + " (" + e.getMessage() + "); start local mode with --fresh to begin again", e);
            }
        }
        return replayed;
    }

    private static void replay(JsonNode entry, InMemorySchemaRegistry registry) {
        String op = entry.path("op").asText("register");
        switch (op) {
            case "register" -> registry.register(text(entry, "subject"), new Schema.Parser().parse(text(entry, "schema")));
            case "delete-version" -> registry.deleteVersion(text(entry, "subject"), entry.path("version").asInt(),
                    entry.path("permanent").asBoolean());
            case "delete-subject" -> registry.deleteSubject(text(entry, "subject"), entry.path("permanent").asBoolean());
            case "config" -> {
                Optional<CompatibilityLevel> level = CompatibilityLevel.parse(entry.path("compatibility").asText(null));
                if (entry.hasNonNull("subject")) {
                    level.ifPresentOrElse(l -> registry.setSubjectCompatibility(text(entry, "subject"), l),
                            () -> registry.deleteSubjectCompatibility(text(entry, "subject")));
                } else {
                    registry.setGlobalCompatibility(level.orElse(CompatibilityLevel.BACKWARD));
                }
            }
            default -> throw new IllegalArgumentException("unknown op \"" + op + "\"");
        }
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("no \"" + field + "\" text");
        }
        return value.asText();
    }

    /** Appends a new version; called after the registry accepted it. */
    public void recordRegistration(String subject, Schema schema) {
        append(JSON.createObjectNode().put("subject", subject).put("schema", schema.toString()));
    }

    /** Appends a deleted version. */
    public void recordVersionDeletion(String subject, int version, boolean permanent) {
        append(JSON.createObjectNode().put("op", "delete-version").put("subject", subject).put("version", version)
                .put("permanent", permanent));
    }

    /** Appends a deleted subject. */
    public void recordSubjectDeletion(String subject, boolean permanent) {
        append(JSON.createObjectNode().put("op", "delete-subject").put("subject", subject).put("permanent", permanent));
    }

    /**
     * Appends a compatibility level change.
     *
     * @param subject the subject, or empty for the global level
     * @param level the new level, or empty when it was removed (reset)
     */
    public void recordCompatibility(Optional<String> subject, Optional<CompatibilityLevel> level) {
        ObjectNode entry = JSON.createObjectNode().put("op", "config");
        entry.put("subject", subject.orElse(null));
        entry.put("compatibility", level.map(Enum::name).orElse(null));
        append(entry);
    }

    private void append(ObjectNode entry) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, entry + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the schema journal " + file, e);
        }
    }
}
