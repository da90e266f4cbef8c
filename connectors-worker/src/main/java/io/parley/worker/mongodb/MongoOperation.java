package io.parley.worker.mongodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import io.parley.schemas.BackendStatus;
import io.parley.worker.connector.AttemptContext;
import io.parley.worker.connector.AttemptOutcome;
import io.parley.worker.connector.AttemptOutcome.Failure;
import io.parley.worker.connector.DriverCall;
import io.parley.worker.connector.InvalidRequestException;
import io.parley.worker.connector.JsonTemplate;
import io.parley.worker.connector.JsonText;
import io.parley.worker.connector.DefinedOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * A MongoDB operation ready to call. Reads answer JSON (object ids as hex strings, dates as ISO
 * text). Writes carry their request id in the document they change, so a redelivered request is
 * not applied twice: an insert records it in {@code parleyRequestId} (unique index), an update
 * adds it to {@code parleyRequests} (the last {@value #REMEMBERED_UPDATES}) in the same atomic
 * document update and only matches documents that do not hold it yet.
 */
final class MongoOperation extends DefinedOperation<MongoOperationDefinition> {

    static final String REQUEST_ID_FIELD = "parleyRequestId";
    static final String REQUESTS_FIELD = "parleyRequests";
    static final int REMEMBERED_UPDATES = 32;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonWriterSettings AS_JSON = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED)
            .objectIdConverter((id, writer) -> writer.writeString(id.toHexString()))
            .dateTimeConverter((millis, writer) -> writer.writeString(java.time.Instant.ofEpochMilli(millis).toString()))
            .build();

    private final MongoDatabase database;
    private final Set<String> indexedCollections;
    private final long maxResponseBytes;

    /**
     * @param indexedCollections collections whose request-id index is known to exist, shared by the connector's operations
     */
    MongoOperation(MongoOperationDefinition definition, MongoDatabase database, Set<String> indexedCollections,
                   long maxResponseBytes) {
        super(definition);
        this.database = database;
        this.indexedCollections = indexedCollections;
        this.maxResponseBytes = maxResponseBytes;
    }

    static Set<String> indexedCollections() {
        return ConcurrentHashMap.newKeySet();
    }

    @Override
    public PreparedCall prepare(Map<String, String> params, String requestId) throws InvalidRequestException {
        MongoCollection<Document> collection = database.getCollection(definition.collection());
        DriverCall call = switch (definition.command()) {
            case FINDONE -> findOne(collection, document(definition.filter(), params));
            case FIND -> find(collection, document(definition.filter(), params));
            case INSERTONE -> insertOne(collection, document(definition.document(), params), requestId);
            case UPDATEONE -> updateOne(collection, document(definition.filter(), params),
                    document(definition.set(), params), requestId);
            case AGGREGATE -> aggregate(collection, pipeline(params));
        };
        return call.classifiedBy(MongoFailures::classify);
    }

    private DriverCall findOne(MongoCollection<Document> collection, Document filter) {
        return context -> {
            Document found = projected(collection.find(filter), context).first();
            return found == null ? Failure.permanent(BackendStatus.NOT_FOUND, "no document matched") : mapped(json(found));
        };
    }

    private DriverCall find(MongoCollection<Document> collection, Document filter) {
        return context -> {
            FindIterable<Document> found = projected(collection.find(filter), context).limit(definition.limit());
            definition.sort().ifPresent(sort -> found.sort(Document.parse(JsonText.write(sort))));
            ArrayNode documents = JSON.arrayNode();
            for (Document document : found) {
                documents.add(json(document));
            }
            return mapped(documents);
        };
    }

    private DriverCall aggregate(MongoCollection<Document> collection, List<Document> pipeline) {
        return context -> {
            ArrayNode documents = JSON.arrayNode();
            try (MongoCursor<Document> cursor = collection.aggregate(pipeline)
                    .maxTime(context.timeout().toMillis(), TimeUnit.MILLISECONDS).batchSize(definition.limit()).iterator()) {
                while (cursor.hasNext() && documents.size() < definition.limit()) {
                    documents.add(json(cursor.next()));
                }
            }
            return mapped(documents);
        };
    }

    private DriverCall insertOne(MongoCollection<Document> collection, Document document, String requestId) {
        document.put(REQUEST_ID_FIELD, requestId);
        return context -> {
            ensureRequestIdIndex(collection);
            try {
                collection.insertOne(document);
                return inserted(document.get("_id"));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // Either this request was applied before (give the same answer) or another document holds a unique value.
                Document applied = collection.find(Filters.eq(REQUEST_ID_FIELD, requestId)).first();
                if (applied == null) {
                    return Failure.permanent(BackendStatus.CLIENT_ERROR, "a document with the same unique value exists");
                }
                return inserted(applied.get("_id"));
            }
        };
    }

    private DriverCall updateOne(MongoCollection<Document> collection, Document filter, Document set, String requestId) {
        Bson appliedHere = Filters.and(filter, Filters.eq(REQUESTS_FIELD, requestId));
        Bson notYetApplied = Filters.and(filter, Filters.ne(REQUESTS_FIELD, requestId));
        // One atomic document update: the fields, and the request id among the last ones applied to it.
        Document update = new Document("$set", set).append("$push", new Document(REQUESTS_FIELD,
                new Document("$each", List.of(requestId)).append("$slice", -REMEMBERED_UPDATES)));
        UpdateOptions options = new UpdateOptions().upsert(definition.upsert());
        return context -> {
            if (collection.find(appliedHere).first() != null) {
                return updated(1, 1);
            }
            UpdateResult result = collection.updateOne(notYetApplied, update, options);
            if (result.getMatchedCount() == 0 && result.getUpsertedId() == null
                    && collection.find(appliedHere).first() != null) {
                // A concurrent delivery of the same request applied it in between.
                return updated(1, 1);
            }
            if (result.getUpsertedId() != null) {
                ObjectNode answer = JSON.objectNode().put("matched", 0).put("updated", 0).put("upserted", true);
                return mapped(answer);
            }
            return updated(result.getMatchedCount(), result.getModifiedCount());
        };
    }

    private void ensureRequestIdIndex(MongoCollection<Document> collection) {
        if (indexedCollections.contains(definition.collection())) {
            return;
        }
        collection.createIndex(Indexes.ascending(REQUEST_ID_FIELD), new IndexOptions().unique(true).sparse(true)
                .name("parley_request_id"));
        indexedCollections.add(definition.collection());
    }

    private FindIterable<Document> projected(FindIterable<Document> found, AttemptContext context) {
        found.maxTime(context.timeout().toMillis(), TimeUnit.MILLISECONDS);
        definition.projection().ifPresent(projection -> found.projection(Document.parse(JsonText.write(projection))));
        return found;
    }

    private AttemptOutcome inserted(Object id) {
        ObjectNode answer = JSON.objectNode().put("inserted", 1);
        answer.set("id", json(new Document("id", id)).get("id"));
        return mapped(answer);
    }

    private AttemptOutcome updated(long matched, long modified) {
        return mapped(JSON.objectNode().put("matched", matched).put("updated", modified));
    }

    private AttemptOutcome mapped(JsonNode result) {
        return definition.response().applyWithin(result, maxResponseBytes);
    }

    /** A document as JSON, without the fields Parley keeps for idempotency. */
    private static JsonNode json(Document document) {
        document.remove(REQUEST_ID_FIELD);
        document.remove(REQUESTS_FIELD);
        try {
            return JsonText.MAPPER.readTree(document.toJson(AS_JSON));
        } catch (IOException e) {
            throw new IllegalStateException("the driver wrote JSON that does not parse", e);
        }
    }

    /** The template filled with the request's values, as a BSON document: values stay values. */
    private static Document document(Optional<JsonTemplate> template, Map<String, String> params) throws InvalidRequestException {
        return bson(JsonText.write(template.orElseThrow().render(params)));
    }

    /** Extended JSON written by the connector file ({@code {$oid: "{id}"}}) may refuse a value: that is the request's fault. */
    private static Document bson(String json) throws InvalidRequestException {
        try {
            return Document.parse(json);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("a parameter does not fit the operation (" + e.getClass().getSimpleName() + ")");
        }
    }

    private List<Document> pipeline(Map<String, String> params) throws InvalidRequestException {
        JsonTemplate template = definition.pipeline().orElseThrow();
        for (String name : template.parameters()) {
            String value = params.get(name);
            // In aggregation expressions a string starting with '$' names a field ('$password'): a value never may.
            if (value != null && value.startsWith("$")) {
                throw new InvalidRequestException("parameter '" + name + "' may not start with '$' in an aggregation pipeline");
            }
        }
        List<Document> stages = new ArrayList<>();
        for (JsonNode stage : template.render(params)) {
            stages.add(bson(JsonText.write(stage)));
        }
        return stages;
    }
}
