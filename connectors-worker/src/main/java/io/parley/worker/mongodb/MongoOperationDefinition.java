package io.parley.worker.mongodb;

import io.parley.worker.connector.OperationDefinition;
import io.parley.runtime.config.ConfigSection;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.worker.connector.JsonTemplate;
import io.parley.worker.connector.ResponseMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One operation of a {@code mongodb} connector. Filters, documents, updates and pipelines are
 * written in the connector file as YAML; their string values may hold {@code {name}} placeholders
 * (with {@code :int}, {@code :number}, {@code :boolean} types). A request's values are inserted
 * as values of the tree, so a value such as {@code {"$ne": null}} stays a string and never becomes
 * an operator.
 *
 * @param name the name requests use
 * @param command what it does
 * @param collection the collection
 * @param filter the query filter ({@code findOne}, {@code find}, {@code updateOne})
 * @param projection the fields returned ({@code findOne}, {@code find})
 * @param sort the order ({@code find})
 * @param limit the most documents returned ({@code find}, and the cap of {@code aggregate})
 * @param document the document inserted ({@code insertOne})
 * @param set the fields set ({@code updateOne}; becomes {@code $set})
 * @param upsert whether {@code updateOne} inserts when nothing matches
 * @param pipeline the stages ({@code aggregate})
 * @param response how the result is mapped
 * @param cacheTtl how long OK answers are cached (reads only)
 */
public record MongoOperationDefinition(String name, MongoCommand command, String collection, Optional<JsonTemplate> filter,
                                       Optional<JsonNode> projection, Optional<JsonNode> sort, int limit,
                                       Optional<JsonTemplate> document, Optional<JsonTemplate> set, boolean upsert,
                                       Optional<JsonTemplate> pipeline, ResponseMapping response,
                                       Optional<Duration> cacheTtl) implements OperationDefinition {

    public static final String COMMAND = "command";
    public static final String COLLECTION = "collection";
    public static final String FILTER = "filter";
    public static final String PROJECTION = "projection";
    public static final String SORT = "sort";
    public static final String LIMIT = "limit";
    public static final String DOCUMENT = "document";
    public static final String SET = "set";
    public static final String UPSERT = "upsert";
    public static final String PIPELINE = "pipeline";
    public static final String RESPONSE = "response";
    public static final String CACHE_TTL = OperationDefinition.CACHE_TTL;

    /** Collection names as MongoDB allows them, without the system namespace. */
    private static final Pattern COLLECTION_NAME = Pattern.compile("(?!system\\.)[A-Za-z_][A-Za-z0-9_.-]{0,119}");

    private static final Map<MongoCommand, List<String>> KEYS_BY_COMMAND = Map.of(
            MongoCommand.FINDONE, List.of(FILTER, PROJECTION),
            MongoCommand.FIND, List.of(FILTER, PROJECTION, SORT, LIMIT),
            MongoCommand.INSERTONE, List.of(DOCUMENT),
            MongoCommand.UPDATEONE, List.of(FILTER, SET, UPSERT),
            MongoCommand.AGGREGATE, List.of(PIPELINE, LIMIT));

    public static MongoOperationDefinition from(String name, ConfigSection operation) {
        MongoCommand command = operation.enumValue(COMMAND, MongoCommand.class)
                .orElseThrow(() -> operation.error(COMMAND, "is required; one of findOne, find, insertOne, updateOne, aggregate"));
        List<String> allowed = new ArrayList<>(KEYS_BY_COMMAND.get(command));
        allowed.addAll(List.of(COMMAND, COLLECTION, RESPONSE, CACHE_TTL));
        operation.allowOnly(allowed.toArray(String[]::new));
        String collection = operation.requiredString(COLLECTION);
        if (!COLLECTION_NAME.matcher(collection).matches()) {
            throw operation.error(COLLECTION, "'" + collection + "' is not a collection name (letters, digits, '_', '.', '-')");
        }
        Optional<Duration> cacheTtl = OperationDefinition.cacheTtl(operation, !command.write(), "only reads may be cached, not writes");
        boolean needsFilter = command == MongoCommand.FINDONE || command == MongoCommand.UPDATEONE;
        Optional<JsonTemplate> filter = template(operation, FILTER, needsFilter, true);
        if (command == MongoCommand.FIND && filter.isEmpty()) {
            filter = Optional.of(JsonTemplate.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        }
        return new MongoOperationDefinition(name, command, collection, filter,
                literal(operation, PROJECTION), literal(operation, SORT),
                operation.intValue(LIMIT, 100, 1, 10_000),
                template(operation, DOCUMENT, command == MongoCommand.INSERTONE, true),
                template(operation, SET, command == MongoCommand.UPDATEONE, true),
                operation.bool(UPSERT, false),
                template(operation, PIPELINE, command == MongoCommand.AGGREGATE, false),
                ResponseMapping.from(operation.object(RESPONSE)), cacheTtl);
    }

    /** The names of the parameters the operation reads. */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>();
        filter.ifPresent(template -> names.addAll(template.parameters()));
        document.ifPresent(template -> names.addAll(template.parameters()));
        set.ifPresent(template -> names.addAll(template.parameters()));
        pipeline.ifPresent(template -> names.addAll(template.parameters()));
        return names;
    }

    private static Optional<JsonTemplate> template(ConfigSection operation, String key, boolean required, boolean object) {
        JsonNode raw = operation.raw(key);
        if (raw.isMissingNode()) {
            if (required) {
                throw operation.error(key, "is required");
            }
            return Optional.empty();
        }
        if (object ? !raw.isObject() : !raw.isArray() || raw.isEmpty()) {
            throw operation.error(key, object ? "must be a mapping" : "must be a list of stages");
        }
        try {
            return Optional.of(JsonTemplate.of(raw));
        } catch (IllegalArgumentException e) {
            throw operation.error(key, e.getMessage());
        }
    }

    private static Optional<JsonNode> literal(ConfigSection operation, String key) {
        JsonNode raw = operation.raw(key);
        if (raw.isMissingNode()) {
            return Optional.empty();
        }
        if (!raw.isObject()) {
            throw operation.error(key, "must be a mapping");
        }
        return Optional.of(raw.deepCopy());
    }
}
