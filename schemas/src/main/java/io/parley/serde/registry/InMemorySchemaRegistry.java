package io.parley.serde.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A schema registry held in memory, with the registry's semantics: ids are global and the
 * same schema gets the same id under every subject; versions count per subject from 1; a new
 * version must be backward compatible with the latest one (the registry's default mode).
 *
 * <p>Selected by {@code schema.registry.url=mock://<scope>}. Serdes are created by Kafka by
 * reflection and cannot be handed an instance, so registries are found by scope in a JVM-wide
 * map; {@link #dropScope(String)} forgets one. Local mode serves an instance over HTTP.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, TreeMap<Integer, Integer>> idsByVersionBySubject = new TreeMap<>();

    /** The registry of a scope, created on first use. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets the registry of a scope (tests use a fresh scope each, or drop it when done). */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<RegisteredSchema> existing = findUnder(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        TreeMap<Integer, Integer> versions = idsByVersionBySubject.computeIfAbsent(subject, s -> new TreeMap<>());
        if (!versions.isEmpty()) {
            Schema latest = schemasById.get(versions.lastEntry().getValue());
            SchemaCompatibility.SchemaPairCompatibility compatibility =
                    SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
            if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
                throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for subject \""
                        + subject + "\": " + compatibility.getResult().getIncompatibilities(),
                        409, SchemaRegistryException.INCOMPATIBLE_SCHEMA);
            }
        }
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> {
            int next = schemasById.size() + 1;
            schemasById.put(next, schema);
            return next;
        });
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        versions.put(version, id);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        requireSubject(subject);
        return findUnder(subject, schema)
                .orElseThrow(() -> new SchemaRegistryException("Schema not found under subject \"" + subject + "\"",
                        404, SchemaRegistryException.SCHEMA_NOT_FOUND))
                .id();
    }

    /** The registered version of this schema under the subject, if it is there. */
    public synchronized Optional<RegisteredSchema> findUnder(String subject, Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        TreeMap<Integer, Integer> versions = idsByVersionBySubject.get(subject);
        if (id == null || versions == null) {
            return Optional.empty();
        }
        return versions.entrySet().stream()
                .filter(e -> e.getValue().equals(id))
                .findFirst()
                .map(e -> new RegisteredSchema(subject, e.getKey(), id, schemasById.get(id)));
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        TreeMap<Integer, Integer> versions = requireSubject(subject);
        return version(subject, versions.lastKey());
    }

    /** One version of a subject. */
    public synchronized RegisteredSchema version(String subject, int version) {
        Integer id = requireSubject(subject).get(version);
        if (id == null) {
            throw new SchemaRegistryException("Version " + version + " not found under subject \"" + subject + "\"",
                    404, SchemaRegistryException.VERSION_NOT_FOUND);
        }
        return new RegisteredSchema(subject, version, id, schemasById.get(id));
    }

    @Override
    public synchronized Schema byId(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    /** All subjects, in name order. */
    public synchronized List<String> subjects() {
        return new ArrayList<>(idsByVersionBySubject.keySet());
    }

    /** The versions of a subject, ascending. */
    public synchronized List<Integer> versions(String subject) {
        return new ArrayList<>(requireSubject(subject).keySet());
    }

    private TreeMap<Integer, Integer> requireSubject(String subject) {
        TreeMap<Integer, Integer> versions = idsByVersionBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException("Subject \"" + subject + "\" not found",
                    404, SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        return versions;
    }
}
