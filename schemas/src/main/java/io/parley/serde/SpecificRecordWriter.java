package io.parley.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro's writer of generated records, with the branch of each union value found by {@link UnionBranches}: optional
 * values by whether they are null, without Avro's look-up by schema name. The bytes are Avro's own.
 */
final class SpecificRecordWriter<T> extends SpecificDatumWriter<T> {

    SpecificRecordWriter(Schema schema) {
        super(schema, SpecificData.getForSchema(schema));
    }

    @Override
    protected int resolveUnion(Schema union, Object datum) {
        return UnionBranches.index(union, datum, getData());
    }
}
