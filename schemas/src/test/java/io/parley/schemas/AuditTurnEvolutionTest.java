package io.parley.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.schemas.state.Session;
import io.parley.serde.AvroTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TURN audit record (processor audit.mode turn): old records are read by new readers, new per-step
 * records by old readers, and a TURN record explodes into exactly the per-step records detailed mode writes.
 * A TURN record needs upgraded readers (AuditKind has no enum default), which the rollout order in the
 * docs says.
 */
class AuditTurnEvolutionTest {

    private static final Schema RELEASED_V1 = parse("src/test/resources/released/v1/AuditEvent.avsc");
    private static final Schema RELEASED_V1_SESSION = parse("src/test/resources/released/v1/Session.avsc");

    @BeforeAll
    static void trust() {
        AvroTrust.ensureTrusted();
    }

    private static Schema parse(String file) {
        try {
            return new Schema.Parser().parse(Paths.get(file).toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static AuditEvent step(String id, AuditKind kind, long at) {
        return AuditEvent.newBuilder().setAuditId(id).setConversationId("conv-1").setUserRef("user-ref")
                .setKind(kind).setOccurredAt(Instant.ofEpochMilli(at)).setChannel("web").setEventId("e-1")
                .setIntent(kind == AuditKind.INBOUND ? null : "order_status")
                .setStatus(kind == AuditKind.REPLY ? "ANSWER" : null).setLatencyMs(kind == AuditKind.REPLY ? 12L : null)
                .setText(kind == AuditKind.INBOUND ? "where is order ****" : null)
                .setAttributes(Map.of("flowVersion", "shop@1")).build();
    }

    private static AuditEvent turn(List<AuditEvent> steps) {
        return AuditEvent.newBuilder().setAuditId("e-1/inbound/turn").setConversationId("conv-1").setUserRef("user-ref")
                .setKind(AuditKind.TURN).setOccurredAt(steps.get(steps.size() - 1).getOccurredAt())
                .setSteps(steps.stream().map(AuditSteps::step).toList()).build();
    }

    private static byte[] write(AuditEvent record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(AuditEvent.class).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static GenericRecord readWith(Schema reader, Schema writer, byte[] bytes) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    @Test
    void aTurnRecordExplodesIntoThePerStepRecordsOfDetailedMode() {
        // Given the per-step records detailed mode writes for a turn
        List<AuditEvent> detailed = List.of(step("e-1/inbound", AuditKind.INBOUND, 1), step("e-1/intent", AuditKind.INTENT, 2),
                step("r-1/backend_request", AuditKind.BACKEND_REQUEST, 3), step("r-1/backend_response", AuditKind.BACKEND_RESPONSE, 4),
                step("e-1/reply", AuditKind.REPLY, 5));

        // When they are carried by one TURN record and exploded again
        List<AuditEvent> exploded = AuditSteps.of(turn(detailed));

        // Then the reader sees the same records, in order; any other record is itself
        assertThat(exploded).isEqualTo(detailed);
        assertThat(AuditSteps.of(detailed.get(0))).containsExactly(detailed.get(0));
    }

    @Test
    void aRecordWrittenBeforeStepsIsReadWithNoSteps() throws IOException {
        // Given an INBOUND record written with the first released schema
        GenericRecord old = new GenericData.Record(RELEASED_V1);
        old.put("auditId", "a-1");
        old.put("conversationId", "conv-1");
        old.put("userRef", "u");
        old.put("kind", new GenericData.EnumSymbol(RELEASED_V1.getField("kind").schema(), "INBOUND"));
        old.put("occurredAt", 1L);
        old.put("attributes", Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(RELEASED_V1).write(old, encoder);
        encoder.flush();

        // When the current class reads it
        AuditEvent read = new SpecificDatumReader<AuditEvent>(RELEASED_V1, AuditEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        // Then it has no steps and stands for itself
        assertThat(read.getSteps()).isNull();
        assertThat(AuditSteps.of(read)).extracting(AuditEvent::getKind).containsExactly(AuditKind.INBOUND);
    }

    @Test
    void anOldReaderReadsTheCurrentPerStepRecordsAndSkipsTheSteps() throws IOException {
        // Given a detailed-mode record written with the current schema
        byte[] bytes = write(step("e-1/intent", AuditKind.INTENT, 2));

        // When a reader of the first released schema reads it
        GenericRecord read = readWith(RELEASED_V1, AuditEvent.getClassSchema(), bytes);

        // Then it reads every field it knows
        assertThat(read.get("kind")).hasToString("INTENT");
        assertThat(read.get("intent")).hasToString("order_status");
    }

    @Test
    void aTurnRecordNeedsAnUpgradedReader() throws IOException {
        // Given a TURN record (the processor's default audit mode)
        byte[] bytes = write(turn(List.of(step("e-1/inbound", AuditKind.INBOUND, 1), step("e-1/reply", AuditKind.REPLY, 5))));

        // Then a reader without the TURN symbol refuses it (no enum default): readers are upgraded first
        assertThatThrownBy(() -> readWith(RELEASED_V1, AuditEvent.getClassSchema(), bytes)).isInstanceOf(AvroTypeException.class);
        // And the current reader reads it whole
        GenericRecord read = readWith(AuditEvent.getClassSchema(), AuditEvent.getClassSchema(), bytes);
        assertThat((List<?>) read.get("steps")).hasSize(2);
    }

    @Test
    void aSessionStoredBeforePendingAuditIsReadWithoutOne() {
        // The session gained the pending TURN record; sessions in changelogs from before read with none
        assertThat(SchemaEvolutionTest.incompatibilities(Session.getClassSchema(), RELEASED_V1_SESSION)).isEmpty();
        assertThat(Session.getClassSchema().getField("pendingAudit").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
    }
}
