package io.parley.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.state.Session;
import io.parley.schemas.state.UserContact;
import io.parley.serde.AvroDeserializer;
import io.parley.serde.WireFormat;
import io.parley.serde.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released version of every schema is kept under {@code src/test/resources/released/vN}.
 * The current schema must read data written with each of them (backward-transitive), so a
 * change that would break stored or in-flight data fails the build with the field named.
 */
class SchemaEvolutionTest {

    private static final List<Schema> CURRENT = List.of(ChatEvent.getClassSchema(), ChatReply.getClassSchema(),
            BackendRequest.getClassSchema(), BackendResponse.getClassSchema(), Notification.getClassSchema(),
            AuditEvent.getClassSchema(), Session.getClassSchema(), UserContact.getClassSchema(),
            TelemetryEvent.getClassSchema(), Device.getClassSchema(), ConnectorCatalog.getClassSchema(),
            FlowSet.getClassSchema());

    private static final Path RELEASED = Paths.get("src/test/resources/released");

    static Stream<Schema> currentSchemas() {
        return CURRENT.stream();
    }

    /** The released versions of a schema, oldest first, by file name (the record's simple name). */
    private static List<Path> releasedVersions(Schema schema) throws IOException {
        try (Stream<Path> versions = Files.list(RELEASED)) {
            return versions.sorted()
                    .map(version -> version.resolve(schema.getName() + ".avsc"))
                    .filter(Files::exists)
                    .toList();
        }
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What keeps {@code reader} from reading data written with {@code writer}, one line per problem. */
    static List<String> incompatibilities(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map(SchemaEvolutionTest::describe)
                .toList();
    }

    private static String describe(Incompatibility incompatibility) {
        return incompatibility.getType() + " at " + incompatibility.getLocation() + ": " + incompatibility.getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void theCurrentSchemaReadsEveryReleasedVersion(Schema current) throws IOException {
        List<Path> released = releasedVersions(current);
        assertThat(released).as("released versions of %s (snapshot it under %s/vN)", current.getName(), RELEASED)
                .isNotEmpty();

        Map<Path, List<String>> problems = released.stream()
                .collect(Collectors.toMap(version -> version, version -> incompatibilities(current, parse(version))));

        assertThat(problems).as("%s must read data written with each released version", current.getFullName())
                .allSatisfy((version, incompatibilities) -> assertThat(incompatibilities).as(version.toString()).isEmpty());
    }

    @Test
    void theGuardNamesTheFieldOfABreakingChange() {
        Schema v1 = ChatEvent.getClassSchema();
        Schema breaking = new Schema.Parser().parse(v1.toString().replaceFirst(
                "\\{\"name\":\"occurredAt\"", "{\"name\":\"tenantId\",\"type\":\"string\"},{\"name\":\"occurredAt\""));

        assertThat(incompatibilities(breaking, v1))
                .singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("tenantId");
    }

    @Test
    void aChatEventWrittenWithVersionOneIsReadByTheCurrentClass() throws IOException {
        Schema v1 = parse(RELEASED.resolve("v1/ChatEvent.avsc"));
        String scope = "evolution-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        try {
            int id = registry.register("chat.events-value", v1);
            GenericRecord written = new GenericData.Record(v1);
            written.put("eventId", "evt-v1");
            written.put("conversationId", "conv-1");
            written.put("userId", "alice");
            written.put("channel", "web");
            written.put("type", new GenericData.EnumSymbol(v1.getField("type").schema(), "MESSAGE"));
            written.put("text", "hello");
            written.put("payload", Map.of());
            written.put("locale", null);
            written.put("occurredAt", 1_700_000_000_000L);

            AvroDeserializer<ChatEvent> reader = new AvroDeserializer<>(ChatEvent.class, registry);
            ChatEvent read = reader.deserialize("chat.events", frame(id, v1, written));

            assertThat(read.getEventId()).isEqualTo("evt-v1");
            assertThat(read.getText()).isEqualTo("hello");
            assertThat(read.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void aRequestFromAProcessorBeforeTheReplyPartitionIsReadWithoutOne() throws IOException {
        // Given a BackendRequest written by a processor of version 1, which did not know the reply partition
        Schema v1 = parse(RELEASED.resolve("v1/BackendRequest.avsc"));
        String scope = "evolution-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        try {
            int id = registry.register("backend.requests-value", v1);
            GenericRecord written = new GenericData.Record(v1);
            written.put("requestId", "req-1");
            written.put("conversationId", "conv-1");
            written.put("userId", "alice");
            written.put("eventId", "evt-1");
            written.put("connector", "shop-api");
            written.put("operation", "getOrder");
            written.put("params", Map.of());
            written.put("deadline", 1_700_000_060_000L);
            written.put("attempt", 1);
            written.put("createdAt", 1_700_000_000_000L);

            // When a current worker reads it, Then it has no reply partition: the answer is keyed as before
            BackendRequest read = new AvroDeserializer<>(BackendRequest.class, registry)
                    .deserialize("backend.requests", frame(id, v1, written));
            assertThat(read.getRequestId()).isEqualTo("req-1");
            assertThat(read.getReplyPartition()).isNull();
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void readersOfVersionOneReadWhatTheCurrentVersionWrites() {
        // During a rolling upgrade, a worker or processor of version 1 meets requests and directory
        // entries written by upgraded processors: the fields added since are optional, so it skips them.
        assertThat(incompatibilities(parse(RELEASED.resolve("v1/BackendRequest.avsc")), BackendRequest.getClassSchema()))
                .isEmpty();
        assertThat(incompatibilities(parse(RELEASED.resolve("v1/UserContact.avsc")), UserContact.getClassSchema()))
                .isEmpty();
    }

    @Test
    void aStatusAddedAfterThisVersionIsReadAsTheEnumDefault() throws IOException {
        // Given a later worker that answers with a status this version does not know
        Schema current = BackendResponse.getClassSchema();
        Schema later = new Schema.Parser().parse(current.toString().replace("\"INVALID_RESPONSE\"]",
                "\"INVALID_RESPONSE\",\"QUOTA_EXCEEDED\"]"));
        assertThat(later.getField("status").schema().getEnumSymbols()).contains("QUOTA_EXCEEDED");

        // Then this version's readers accept it, and read the default status
        assertThat(incompatibilities(current, later)).isEmpty();
        String scope = "evolution-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        try {
            int id = registry.register("backend.responses-value", later);
            GenericRecord written = new GenericData.Record(later);
            written.put("requestId", "req-1");
            written.put("conversationId", "conv-1");
            written.put("connector", "shop-api");
            written.put("operation", "getOrder");
            written.put("status", new GenericData.EnumSymbol(later.getField("status").schema(), "QUOTA_EXCEEDED"));
            written.put("result", null);
            written.put("error", "quota");
            written.put("latencyMs", 3L);
            written.put("attempts", 1);
            written.put("completedAt", 1_700_000_000_000L);

            BackendResponse read = new AvroDeserializer<>(BackendResponse.class, registry)
                    .deserialize("backend.responses", frame(id, later, written));

            assertThat(read.getStatus()).isEqualTo(BackendStatus.SERVER_ERROR);
            assertThat(read.getError()).isEqualTo("quota");
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void aReaderFromBeforeInvalidResponseReadsItAsServerError() throws IOException {
        // Given the schema as it was before INVALID_RESPONSE (its enum default already SERVER_ERROR)
        Schema current = BackendResponse.getClassSchema();
        Schema before = new Schema.Parser().parse(current.toString().replace(",\"INVALID_RESPONSE\"]", "]"));
        assertThat(before.getField("status").schema().getEnumSymbols()).doesNotContain("INVALID_RESPONSE");
        assertThat(incompatibilities(before, current)).isEmpty();

        // When a current worker writes an INVALID_RESPONSE answer
        GenericRecord written = new GenericData.Record(current);
        written.put("requestId", "req-1");
        written.put("conversationId", "conv-1");
        written.put("connector", "shop-api");
        written.put("operation", "getOrder@v2");
        written.put("status", new GenericData.EnumSymbol(current.getField("status").schema(), "INVALID_RESPONSE"));
        written.put("result", null);
        written.put("error", "the response does not match its schema: /status: enum");
        written.put("latencyMs", 3L);
        written.put("attempts", 1);
        written.put("completedAt", 1_700_000_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(current).write(written, encoder);
        encoder.flush();

        // Then the older reader gets SERVER_ERROR, and the error text unchanged
        GenericRecord read = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(current, before)
                .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(read.get("status")).hasToString("SERVER_ERROR");
        assertThat(read.get("error")).hasToString("the response does not match its schema: /status: enum");
    }

    @Test
    void aTelemetryEventWrittenWithVersionOneIsReadByTheCurrentClass() throws IOException {
        // Given a measurement written by a bridge of version 1
        Schema v1 = parse(RELEASED.resolve("v1/TelemetryEvent.avsc"));
        String scope = "evolution-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        try {
            int id = registry.register("iot.telemetry-value", v1);
            GenericRecord written = new GenericData.Record(v1);
            written.put("eventId", "mqtt-1");
            written.put("deviceId", "freezer-1");
            written.put("metric", "temperature");
            written.put("value", -14.5);
            written.put("eventTime", 1_700_000_000_000L);
            written.put("attributes", Map.of("unit", "C"));

            // When the current class reads it, Then every field is as written
            TelemetryEvent read = new AvroDeserializer<>(TelemetryEvent.class, registry)
                    .deserialize("iot.telemetry", frame(id, v1, written));
            assertThat(read.getDeviceId()).isEqualTo("freezer-1");
            assertThat(read.getValue()).isEqualTo(-14.5);
            assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
            assertThat(read.getAttributes()).containsEntry("unit", "C");
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void aDeviceWithoutLocationOrThresholdsIsReadWithTheDefaults() throws IOException {
        // Given a device row written by a producer that sets only the required fields
        Schema v1 = parse(RELEASED.resolve("v1/Device.avsc"));
        Schema minimal = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Device\", "
                + "\"namespace\": \"io.parley.schemas\", \"fields\": [{\"name\": \"deviceId\", \"type\": \"string\"},"
                + " {\"name\": \"ownerUserId\", \"type\": \"string\"}, {\"name\": \"name\", \"type\": \"string\"}]}");
        assertThat(incompatibilities(v1, minimal)).isEmpty();
        String scope = "evolution-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        try {
            int id = registry.register("iot.devices-value", minimal);
            GenericRecord written = new GenericData.Record(minimal);
            written.put("deviceId", "locker-7");
            written.put("ownerUserId", "bob");
            written.put("name", "Parcel locker");

            // When the current class reads it, Then the optional fields have their defaults
            Device read = new AvroDeserializer<>(Device.class, registry).deserialize("iot.devices", frame(id, minimal, written));
            assertThat(read.getOwnerUserId()).isEqualTo("bob");
            assertThat(read.getLocation()).isNull();
            assertThat(read.getThresholds()).isEmpty();
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void readersOfVersionOneReadTheCurrentTelemetryAndDevices() {
        assertThat(incompatibilities(parse(RELEASED.resolve("v1/TelemetryEvent.avsc")), TelemetryEvent.getClassSchema()))
                .isEmpty();
        assertThat(incompatibilities(parse(RELEASED.resolve("v1/Device.avsc")), Device.getClassSchema())).isEmpty();
    }

    @Test
    void aMuteCommandForEveryRuleWithoutAlertIdIsReadWithTheDefaults() throws IOException {
        // Given a mute command written by the first version with neither rule nor alert id (every rule of the device)
        Schema v1 = parse(RELEASED.resolve("v1/MuteCommand.avsc"));
        GenericRecord written = new GenericData.Record(v1);
        written.put("commandId", "mute/e-1");
        written.put("deviceId", "freezer-1");
        written.put("userId", "alice");
        written.put("mutedUntil", 1_700_003_600_000L);
        written.put("conversationId", "c-1");
        written.put("createdAt", 1_700_000_000_000L);
        String scope = "evolution-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        try {
            int id = registry.register("iot.mutes-value", v1);
            // When the current class reads it, Then the optional fields are null and the instant is kept
            MuteCommand read = new AvroDeserializer<>(MuteCommand.class, registry).deserialize("iot.mutes", frame(id, v1, written));
            assertThat(read.getDeviceId()).isEqualTo("freezer-1");
            assertThat(read.getRule()).isNull();
            assertThat(read.getAlertId()).isNull();
            assertThat(read.getMutedUntil()).isEqualTo(Instant.ofEpochMilli(1_700_003_600_000L));
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
        // And readers of version one read what the current version writes
        assertThat(incompatibilities(v1, MuteCommand.getClassSchema())).isEmpty();
    }

    @Test
    void aCatalogOperationWithOnlyTheRequiredFieldsIsReadWithTheDefaults() throws IOException {
        // Given a catalog record written by a minimal producer: no versions, parameters or schema
        Schema v1 = parse(RELEASED.resolve("v1/ConnectorCatalog.avsc"));
        Schema minimal = new Schema.Parser().parse("""
                {"type": "record", "name": "ConnectorCatalog", "namespace": "io.parley.schemas", "fields": [
                  {"name": "connector", "type": "string"}, {"name": "type", "type": "string"},
                  {"name": "operations", "type": {"type": "array", "items": {"type": "record", "name": "CatalogOperation",
                    "fields": [{"name": "name", "type": "string"}, {"name": "operation", "type": "string"},
                               {"name": "definitionHash", "type": "string"}]}}},
                  {"name": "publishedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");
        assertThat(incompatibilities(v1, minimal)).isEmpty();
        String scope = "evolution-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        try {
            int id = registry.register("parley.connectors-value", minimal);
            GenericRecord operation = new GenericData.Record(minimal.getField("operations").schema().getElementType());
            operation.put("name", "getOrder");
            operation.put("operation", "getOrder");
            operation.put("definitionHash", "ab12");
            GenericRecord written = new GenericData.Record(minimal);
            written.put("connector", "shop-api");
            written.put("type", "http");
            written.put("operations", List.of(operation));
            written.put("publishedAt", 1_700_000_000_000L);

            // When the current class reads it
            ConnectorCatalog read = new AvroDeserializer<>(ConnectorCatalog.class, registry)
                    .deserialize("parley.connectors", frame(id, minimal, written));

            // Then the optional fields have their defaults: nothing known of the result, no parameters
            CatalogOperation only = read.getOperations().get(0);
            assertThat(only.getName()).isEqualTo("getOrder");
            assertThat(only.getVersion()).isNull();
            assertThat(only.getIsDefault()).isFalse();
            assertThat(only.getParameters()).isEmpty();
            assertThat(only.getResponseSchema()).isNull();
            assertThat(only.getResultFields()).isNull();
            assertThat(read.getSourceFile()).isNull();
            assertThat(read.getDefinitionsVersion()).isZero();
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void readersOfVersionOneReadTheCurrentCatalog() {
        assertThat(incompatibilities(parse(RELEASED.resolve("v1/ConnectorCatalog.avsc")), ConnectorCatalog.getClassSchema()))
                .isEmpty();
    }

    private static byte[] frame(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void everyAvscFileHasARecordOrEnumWithDocumentation() throws IOException {
        try (Stream<Path> files = Files.walk(Paths.get("src/main/avro"))) {
            // One parser, as the build's: state/Session.avsc names io.parley.schemas.AuditEvent (its pending TURN record),
            // which the top-level files, sorted first, define.
            Schema.Parser parser = new Schema.Parser();
            List<Schema> schemas = files.filter(p -> p.toString().endsWith(".avsc")).sorted().map(file -> {
                try {
                    return parser.parse(file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
            assertThat(schemas).isNotEmpty().allSatisfy(schema -> {
                assertThat(schema.getDoc()).as("doc of %s", schema.getFullName()).isNotBlank();
                schema.getFields().forEach(field ->
                        assertThat(field.doc()).as("doc of %s.%s", schema.getName(), field.name()).isNotBlank());
            });
        }
    }

}
