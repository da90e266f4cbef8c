package io.parley.serde.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, with the registry's semantics: ids are global and the
 * same schema gets the same id under every subject; versions count per subject from 1; a new
 * version must be compatible with the earlier ones at the subject's compatibility level
 * ({@code BACKWARD} unless configured otherwise); a soft-deleted version keeps its number and
 * its schema id but is skipped by look-ups, and a permanent delete of a soft-deleted version
 * forgets it.
 *
 * <p>Selected by {@code schema.registry.url=mock://<scope>}. Serdes are created by Kafka by
 * reflection and cannot be handed an instance, so registries are found by scope in a JVM-wide
 * map; {@link #dropScope(String)} forgets one. {@code parley-embedded-registry} serves an
 * instance over the Schema Registry REST API.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, TreeMap<Integer, Version>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> levelBySubject = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

    /** A version of a subject: the schema id it names and whether it was soft-deleted. */
    private record Version(int id, boolean deleted) {
    }

    /** The registry of a scope, created on first use. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets the registry of a scope (tests use a fresh scope each, or drop it when done). */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    /**
     * Registers the schema as the subject's next version unless it is a live version already, and
     * returns its global id.
     *
     * @throws SchemaRegistryException 409 when it is incompatible at the subject's level
     */
    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<RegisteredSchema> existing = findUnder(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<String> problems = incompatibilities(subject, schema);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\": " + problems, 409, SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        }
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> idsBySchemaText.size() + 1);
        schemasById.put(id, schema);
        TreeMap<Integer, Version> versions = versionsBySubject.computeIfAbsent(subject, s -> new TreeMap<>());
        // Numbers of soft-deleted versions are not given out again.
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        versions.put(version, new Version(id, false));
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        requireSubject(subject, false);
        return findUnder(subject, schema)
                .orElseThrow(() -> new SchemaRegistryException("Schema not found under subject \"" + subject + "\"",
                        404, SchemaRegistryException.SCHEMA_NOT_FOUND))
                .id();
    }

    /** The live version of this schema under the subject, if it is there. */
    public synchronized Optional<RegisteredSchema> findUnder(String subject, Schema schema) {
        return findUnder(subject, schema, false);
    }

    /** The version of this schema under the subject, if it is there, soft-deleted ones too when asked. */
    public synchronized Optional<RegisteredSchema> findUnder(String subject, Schema schema, boolean includeDeleted) {
        Integer id = idsBySchemaText.get(schema.toString());
        TreeMap<Integer, Version> versions = versionsBySubject.get(subject);
        if (id == null || versions == null) {
            return Optional.empty();
        }
        return versions.entrySet().stream()
                .filter(e -> e.getValue().id() == id && (includeDeleted || !e.getValue().deleted()))
                .findFirst()
                .map(e -> new RegisteredSchema(subject, e.getKey(), id, schemasById.get(id)));
    }

    /** The latest live version of the subject. */
    @Override
    public synchronized RegisteredSchema latest(String subject) {
        TreeMap<Integer, Version> versions = requireSubject(subject, false);
        int latest = versions.descendingMap().entrySet().stream()
                .filter(e -> !e.getValue().deleted()).findFirst().orElseThrow().getKey();
        return version(subject, latest);
    }

    /** One live version of a subject. */
    public synchronized RegisteredSchema version(String subject, int version) {
        return version(subject, version, false);
    }

    /** One version of a subject, a soft-deleted one too when asked. */
    public synchronized RegisteredSchema version(String subject, int version, boolean includeDeleted) {
        Version found = requireSubject(subject, includeDeleted).get(version);
        if (found == null || (found.deleted() && !includeDeleted)) {
            throw versionNotFound(subject, version);
        }
        return new RegisteredSchema(subject, version, found.id(), schemasById.get(found.id()));
    }

    @Override
    public synchronized Schema byId(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    /** The subject and version pairs that name a schema id, soft-deleted ones too when asked. */
    public synchronized List<RegisteredSchema> usesOf(int id, boolean includeDeleted) {
        Schema schema = byId(id);
        List<RegisteredSchema> uses = new ArrayList<>();
        versionsBySubject.forEach((subject, versions) -> versions.forEach((number, version) -> {
            if (version.id() == id && (includeDeleted || !version.deleted())) {
                uses.add(new RegisteredSchema(subject, number, id, schema));
            }
        }));
        return uses;
    }

    /** The subjects with a live version, in name order. */
    public synchronized List<String> subjects() {
        return subjects(false);
    }

    /** The subjects in name order; those whose versions are all soft-deleted too when asked. */
    public synchronized List<String> subjects(boolean includeDeleted) {
        return versionsBySubject.entrySet().stream()
                .filter(e -> includeDeleted ? !e.getValue().isEmpty() : hasLive(e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The live versions of a subject, ascending. */
    public synchronized List<Integer> versions(String subject) {
        return versions(subject, false);
    }

    /** The versions of a subject, ascending; soft-deleted ones too when asked. */
    public synchronized List<Integer> versions(String subject, boolean includeDeleted) {
        return requireSubject(subject, includeDeleted).entrySet().stream()
                .filter(e -> includeDeleted || !e.getValue().deleted())
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Deletes one version: softly (look-ups skip it, its id stays readable) or, once soft-deleted,
     * permanently.
     *
     * @return the version deleted
     */
    public synchronized int deleteVersion(String subject, int version, boolean permanent) {
        TreeMap<Integer, Version> versions = requireSubject(subject, permanent);
        Version found = versions.get(version);
        if (found == null) {
            throw versionNotFound(subject, version);
        }
        if (permanent) {
            if (!found.deleted()) {
                throw new SchemaRegistryException("Subject '" + subject + "' Version " + version
                        + " was not deleted first before being permanently deleted", 404,
                        SchemaRegistryException.VERSION_NOT_SOFT_DELETED);
            }
            versions.remove(version);
            forgetIfEmpty(subject);
            forgetIfUnused(found.id());
        } else {
            if (found.deleted()) {
                throw new SchemaRegistryException("Subject '" + subject + "' Version " + version
                        + " was soft deleted. Set permanent=true to delete permanently", 404,
                        SchemaRegistryException.VERSION_SOFT_DELETED);
            }
            versions.put(version, new Version(found.id(), true));
        }
        return version;
    }

    /**
     * Deletes every version of a subject: softly, or, once all are soft-deleted, permanently
     * (with the subject's compatibility level).
     *
     * @return the versions deleted
     */
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        TreeMap<Integer, Version> versions = requireSubject(subject, true);
        if (permanent) {
            if (hasLive(versions)) {
                throw new SchemaRegistryException("Subject '" + subject
                        + "' was not deleted first before being permanently deleted", 404,
                        SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED);
            }
            List<Integer> deleted = new ArrayList<>(versions.keySet());
            versionsBySubject.remove(subject);
            levelBySubject.remove(subject);
            versions.values().forEach(version -> forgetIfUnused(version.id()));
            return deleted;
        }
        if (!hasLive(versions)) {
            throw new SchemaRegistryException("Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently",
                    404, SchemaRegistryException.SUBJECT_SOFT_DELETED);
        }
        List<Integer> deleted = new ArrayList<>();
        versions.replaceAll((number, version) -> {
            if (!version.deleted()) {
                deleted.add(number);
            }
            return new Version(version.id(), true);
        });
        return deleted;
    }

    /** The level subjects without a level of their own use. */
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        this.globalLevel = level;
    }

    /** The subject's own level, if one was set. */
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(levelBySubject.get(subject));
    }

    /** Sets the subject's own level (a subject without versions may have one). */
    public synchronized void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        levelBySubject.put(subject, level);
    }

    /** Removes the subject's own level, so the global one applies; returns the level removed. */
    public synchronized Optional<CompatibilityLevel> deleteSubjectCompatibility(String subject) {
        return Optional.ofNullable(levelBySubject.remove(subject));
    }

    /** The level that applies to the subject: its own, else the global one. */
    public synchronized CompatibilityLevel compatibilityOf(String subject) {
        return levelBySubject.getOrDefault(subject, globalLevel);
    }

    /**
     * Why registering the schema under the subject would be refused: the check a registration
     * makes, against the latest live version or, at a transitive level, every live version.
     */
    public synchronized List<String> incompatibilities(String subject, Schema schema) {
        TreeMap<Integer, Version> versions = versionsBySubject.get(subject);
        if (versions == null || !hasLive(versions)) {
            return List.of();
        }
        CompatibilityLevel level = compatibilityOf(subject);
        List<RegisteredSchema> earlier = new ArrayList<>();
        versions.descendingMap().forEach((number, version) -> {
            if (!version.deleted() && (level.transitive() || earlier.isEmpty())) {
                earlier.add(new RegisteredSchema(subject, number, version.id(), schemasById.get(version.id())));
            }
        });
        return level.incompatibilities(schema, earlier);
    }

    /** Why the schema may not follow this one version of the subject at the subject's level. */
    public synchronized List<String> incompatibilities(String subject, Schema schema, RegisteredSchema against) {
        return compatibilityOf(subject).incompatibilities(schema, List.of(against));
    }

    private static boolean hasLive(TreeMap<Integer, Version> versions) {
        return versions.values().stream().anyMatch(version -> !version.deleted());
    }

    private void forgetIfEmpty(String subject) {
        if (versionsBySubject.get(subject).isEmpty()) {
            versionsBySubject.remove(subject);
        }
    }

    /** A schema no version names any more is not served by id; registering it again gives it its id back. */
    private void forgetIfUnused(int id) {
        boolean used = versionsBySubject.values().stream()
                .anyMatch(versions -> versions.values().stream().anyMatch(version -> version.id() == id));
        if (!used) {
            schemasById.remove(id);
        }
    }

    private static SchemaRegistryException versionNotFound(String subject, int version) {
        return new SchemaRegistryException("Version " + version + " not found under subject \"" + subject + "\"",
                404, SchemaRegistryException.VERSION_NOT_FOUND);
    }

    /** The subject's versions; it must have a live one, or any when {@code includeDeleted}. */
    private TreeMap<Integer, Version> requireSubject(String subject, boolean includeDeleted) {
        TreeMap<Integer, Version> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty() || (!includeDeleted && !hasLive(versions))) {
            throw new SchemaRegistryException("Subject \"" + subject + "\" not found",
                    404, SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        return versions;
    }
}
