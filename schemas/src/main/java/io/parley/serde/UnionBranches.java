package io.parley.serde;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Which branch of a union a value is written in: the branch Avro's writer picks. */
public final class UnionBranches {

    private UnionBranches() {
    }

    /**
     * The index of the branch {@code value} takes in {@code union}. An optional value (a union of {@code null} and one
     * other type, in either order) is placed by whether it is null: Avro looks the value's schema name up in the union,
     * a hash map read for each optional field of each record written (a session holds dozens). Other unions are
     * resolved by {@code data}, as Avro's writer does.
     */
    public static int index(Schema union, Object value, GenericData data) {
        List<Schema> types = union.getTypes();
        if (types.size() == 2) {
            boolean nullFirst = types.get(0).getType() == Schema.Type.NULL;
            if (nullFirst != (types.get(1).getType() == Schema.Type.NULL)) {
                int nullIndex = nullFirst ? 0 : 1;
                return value == null ? nullIndex : 1 - nullIndex;
            }
        }
        return data.resolveUnion(union, value);
    }
}
