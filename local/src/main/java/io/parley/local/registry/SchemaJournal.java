package io.parley.local.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Keeps local mode's schema registrations across restarts. Local mode keeps its Kafka data
 * between runs, and every record on it names its schema by registry id; an in-memory registry
 * starting empty would hand out the same ids to other schemas. The journal is a file of JSON
 * lines ({@code {"subject": ..., "schema": ...}}), one per new version, in registration order:
 * replaying it into an empty registry gives every schema its old id and version back, because
 * the registry numbers ids and versions in registration order.
 */
public final class SchemaJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private SchemaJournal(Path file) {
        this.file = file;
    }

    /** A journal kept in this file (created on the first registration). */
    public static SchemaJournal inFile(Path file) {
        return new SchemaJournal(file);
    }

    public Path file() {
        return file;
    }

    /**
     * Registers every journaled version again, in order, into an empty registry.
     *
     * @return how many versions were replayed
     * @throws IllegalStateException naming the file and line when the journal cannot be read
     */
    public int replayInto(InMemorySchemaRegistry registry) {
        if (!registry.subjects().isEmpty()) {
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
                JsonNode entry = JSON.readTree(line);
                registry.register(entry.get("subject").asText(), new Schema.Parser().parse(entry.get("schema").asText()));
                replayed++;
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("The schema journal " + file + " is damaged at line " + (i + 1)
                        + " (" + e.getMessage() + "); start local mode with --fresh to begin again", e);
            }
        }
        return replayed;
    }

    /** Appends a new version; called after the registry accepted it. */
    public void record(String subject, Schema schema) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("subject", subject);
        entry.put("schema", schema.toString());
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
