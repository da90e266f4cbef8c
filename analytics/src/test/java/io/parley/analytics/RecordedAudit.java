package io.parley.analytics;

import io.parley.schemas.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        SpecificDatumReader<AuditEvent> reader = new SpecificDatumReader<>(AuditEvent.class);
        try (InputStream in = RecordedAudit.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    events.add(reader.read(null, DecoderFactory.get().jsonDecoder(AuditEvent.getClassSchema(), line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
