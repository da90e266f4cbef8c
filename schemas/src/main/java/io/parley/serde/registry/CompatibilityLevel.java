package io.parley.serde.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The Schema Registry's compatibility levels, checked with Avro's own {@link SchemaCompatibility}.
 * {@code BACKWARD}: the new schema reads data written with the earlier ones; {@code FORWARD}: the
 * earlier schemas read data written with the new one; {@code FULL}: both. Without
 * {@code _TRANSITIVE} a new version is checked against the latest version only, with it against
 * every version. {@code NONE} checks nothing.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level of this name, in any letter case, as the registry's {@code /config} takes it. */
    public static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(level -> level.name().equals(upper)).findFirst();
    }

    /** Whether a new version is checked against every earlier version rather than the latest only. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Why {@code candidate} may not follow {@code earlier} at this level; empty when it may.
     *
     * @param earlier the versions to check against, each with its version number for the messages
     */
    public List<String> incompatibilities(Schema candidate, List<RegisteredSchema> earlier) {
        List<String> problems = new ArrayList<>();
        for (RegisteredSchema version : earlier) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, version.schema()),
                        "the new schema cannot read data written with version " + version.version(), problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(version.schema(), candidate),
                        "version " + version.version() + " cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private void describe(SchemaPairCompatibility result, String what, List<String> problems) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(name() + ": " + what + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + " (" + incompatibility.getMessage() + ")");
        }
    }
}
