package io.parley.analytics;

import io.parley.schemas.AuditEvent;
import io.parley.serde.AvroTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * An audit stream recorded from a real processor and worker (the release tarball's, driven by
 * DistributionIT's turns: an order found, a greeting whose connector the worker lacks, a
 * question no intent matched, an ambiguous one, a stock check superseded by an order question
 * whose number came as a slot answer), one AuditEvent per line in Avro's JSON encoding.
 */
final class RecordedAudit {

    static final String DEMO_SHOP = "audit/recorded-demo-shop.jsonl";

    private RecordedAudit() {
    }

    static List<AuditEvent> read(String resource) {
        List<AuditEvent> events = new ArrayList<>();
        AvroTrust.ensureTrusted();
        // Recorded before AuditEvent had steps (Avro's JSON decoder does not fill defaults): read as written then
        Schema current = AuditEvent.getClassSchema();
        Schema recorded = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream().filter(field -> !field.name().equals("steps"))
                        .map(field -> new Schema.Field(field, field.schema())).toList());
        SpecificDatumReader<AuditEvent> reader = new SpecificDatumReader<>(recorded, current);
        try (InputStream in = RecordedAudit.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    events.add(reader.read(null, DecoderFactory.get().jsonDecoder(recorded, line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
