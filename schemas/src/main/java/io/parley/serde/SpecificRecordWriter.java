package io.parley.serde;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro's writer of generated records, with the optional values resolved by whether they are null. Avro resolves every
 * union value by looking its schema's name up in the union (a hash map read for each optional field of each record:
 * a session holds dozens); a union of {@code null} and one other type, in either order, needs no look-up. Other unions
 * are resolved by Avro. The bytes are Avro's own.
 */
final class SpecificRecordWriter<T> extends SpecificDatumWriter<T> {

    SpecificRecordWriter(Schema schema) {
        super(schema, SpecificData.getForSchema(schema));
    }

    @Override
    protected int resolveUnion(Schema union, Object datum) {
        List<Schema> types = union.getTypes();
        if (types.size() == 2) {
            boolean nullFirst = types.get(0).getType() == Schema.Type.NULL;
            if (nullFirst != (types.get(1).getType() == Schema.Type.NULL)) {
                int nullIndex = nullFirst ? 0 : 1;
                return datum == null ? nullIndex : 1 - nullIndex;
            }
        }
        return super.resolveUnion(union, datum);
    }
}
