package io.parley.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.AuditEvent;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.ChatEvent;
import io.parley.schemas.ChatReply;
import io.parley.schemas.Notification;
import io.parley.schemas.TelemetryEvent;
import io.parley.schemas.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/topics.md is what {@link TopicReference} renders from the schemas today. When a
 * schema or its doc changes, this test fails and prints the command that regenerates the file;
 * with {@code -Dparley.docs.regenerate=true} it writes the file instead.
 */
class TopicReferenceTest {

    /** Run from the module folder, as Maven does. */
    private static final Path FILE = Path.of("..").toAbsolutePath().normalize().resolve("docs/reference/topics.md");

    @Test
    void theTopicReferenceIsUpToDate() throws IOException {
        // Given what the schemas say today
        String rendered = TopicReference.render();
        if (Boolean.getBoolean("parley.docs.regenerate")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, rendered, StandardCharsets.UTF_8);
        }

        // Then the file says the same
        String written = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "";
        assertThat(written).as("docs/reference/topics.md is stale; regenerate it with%n  %s%n", TopicReference.REGENERATE)
                .isEqualTo(rendered);
    }

    @Test
    void everyTopicAndEveryFieldWithItsDocIsInTheReference() {
        // Given the reference
        String rendered = TopicReference.render();

        // Then it lists every topic by its default name and key, and every field of every record with its doc
        TopicNames.defaults().asMap().forEach((key, name) -> assertThat(rendered).contains("| `" + name + "` | `" + key + "` |"));
        for (Schema record : List.of(ChatEvent.getClassSchema(), ChatReply.getClassSchema(), BackendRequest.getClassSchema(),
                BackendResponse.getClassSchema(), Notification.getClassSchema(), AuditEvent.getClassSchema(),
                TelemetryEvent.getClassSchema(), Device.getClassSchema())) {
            assertThat(rendered).contains("### " + record.getName());
            for (Schema.Field field : record.getFields()) {
                assertThat(rendered).contains("| `" + field.name() + "` |");
                assertThat(field.doc()).as("%s.%s has a doc", record.getName(), field.name()).isNotBlank();
            }
        }
    }

    @Test
    void typesAreWrittenInWords() {
        // Given a record with a union, an enum, a map, an array, a nested record and a logical type
        Schema inner = SchemaBuilder.record("Inner").fields().requiredString("a").endRecord();
        Schema kind = SchemaBuilder.enumeration("Kind").symbols("A", "B");
        Schema timestamp = org.apache.avro.LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        List<Schema> nested = new ArrayList<>();

        // Then each reads as a person would say it
        assertThat(TopicReference.type(SchemaBuilder.unionOf().nullType().and().stringType().endUnion(), nested))
                .isEqualTo("string, optional");
        assertThat(TopicReference.type(kind, nested)).isEqualTo("enum `Kind`: `A`, `B`");
        assertThat(TopicReference.type(SchemaBuilder.map().values().stringType(), nested)).isEqualTo("map of string");
        assertThat(TopicReference.type(SchemaBuilder.array().items(inner), nested)).isEqualTo("array of [`Inner`](#inner)");
        assertThat(nested).containsExactly(inner);
        assertThat(TopicReference.type(timestamp, nested)).isEqualTo("timestamp-millis (long)");
        assertThat(TopicReference.defaultValue(org.apache.avro.JsonProperties.NULL_VALUE)).isEqualTo("null");
        assertThat(TopicReference.defaultValue(java.util.Map.of())).isEqualTo("{}");
    }
}
