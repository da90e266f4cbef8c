package io.parley.worker;

import static io.parley.worker.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.parley.schemas.BackendRequest;
import io.parley.schemas.BackendResponse;
import io.parley.schemas.BackendStatus;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mongodb connector against a server speaking MongoDB's wire protocol. No MongoDB server
 * package is available here, so by default it runs against mongo-java-server's in-memory backend
 * (in process, on a loopback port): queries, projections, sorts, updates, unique indexes and
 * aggregation stages as used here, without authentication, transactions or MongoDB's exact error
 * texts. Set PARLEY_TEST_MONGODB_URI (e.g. mongodb://127.0.0.1:27017) to run the same tests
 * against a real server.
 */
class MongoConnectorIT {

    private static final String REAL_SERVER = System.getenv("PARLEY_TEST_MONGODB_URI");

    private static MongoServer inProcess;
    private static String uri;
    private static MongoClient client;

    private MongoDatabase shop;
    private Connectors connectors;

    @BeforeAll
    static void startServer() {
        if (REAL_SERVER == null || REAL_SERVER.isBlank()) {
            inProcess = new MongoServer(new MemoryBackend());
            inProcess.bind("127.0.0.1", 0);
            InetSocketAddress address = inProcess.getLocalAddress();
            uri = "mongodb://127.0.0.1:" + address.getPort();
        } else {
            uri = REAL_SERVER;
        }
        client = MongoClients.create(uri);
    }

    @AfterAll
    static void stopServer() {
        client.close();
        if (inProcess != null) {
            inProcess.shutdownNow();
        }
    }

    @BeforeEach
    void seedShop() {
        shop = client.getDatabase("parley_test_shop");
        shop.drop();
        shop.getCollection("carts").insertMany(List.of(
                new Document("userId", "alice").append("items", List.of(new Document("sku", "MUG-01").append("quantity", 2))),
                new Document("userId", "bob").append("items", List.of())));
        shop.getCollection("orders").insertMany(List.of(
                new Document("_id", 1001).append("customerId", "alice").append("sku", "MUG-01").append("status", "SHIPPED"),
                new Document("_id", 1002).append("customerId", "alice").append("sku", "TEE-02").append("status", "PROCESSING"),
                new Document("_id", 1003).append("customerId", "alice").append("sku", "MUG-01").append("status", "DELIVERED"),
                new Document("_id", 2001).append("customerId", "bob").append("sku", "CAP-03").append("status", "DELIVERED")));
        connectors = Connectors.builder().yaml("connectors.yaml", """
                connectors:
                  - name: shop-docs
                    type: mongodb
                    uri: %s
                    database: parley_test_shop
                    timeout: 2s
                    operations:
                      getCart:
                        command: findOne
                        collection: carts
                        filter: {userId: "{userId}"}
                        projection: {_id: 0, items: 1}
                      getFilledCart:
                        command: findOne
                        collection: carts
                        filter: {userId: "{userId}"}
                        projection: {_id: 0, items: 1}
                        response:
                          schema: {type: object, required: [items], properties: {items: {type: array, minItems: 1}}}
                      recentOrders:
                        command: find
                        collection: orders
                        filter: {customerId: "{customerId}"}
                        sort: {_id: -1}
                        limit: 2
                      orderCount:
                        command: aggregate
                        collection: orders
                        pipeline:
                          - {$match: {customerId: "{customerId}"}}
                          - {$group: {_id: "$sku", orders: {$sum: 1}}}
                          - {$sort: {orders: -1, _id: 1}}
                      skuOrders:
                        command: aggregate
                        collection: orders
                        pipeline:
                          - {$group: {_id: "{groupBy}", orders: {$sum: 1}}}
                      addReview:
                        command: insertOne
                        collection: reviews
                        document: {userId: "{userId}", sku: "{sku}", stars: "{stars:int}"}
                      setStatus:
                        command: updateOne
                        collection: orders
                        filter: {_id: "{orderId:int}"}
                        set: {status: "{status}"}
                """.formatted(uri)).build();
    }

    @AfterEach
    void closeConnectors() {
        connectors.close();
    }

    private BackendResponse call(String operation, Map<String, String> params) {
        return connectors.call(request("shop-docs", operation, params));
    }

    @Test
    void findOneAnswersTheProjectedDocumentOrNotFound() {
        assertThat(call("getCart", Map.of("userId", "alice")).getResult())
                .isEqualTo("{\"items\":[{\"sku\":\"MUG-01\",\"quantity\":2}]}");
        assertThat(call("getCart", Map.of("userId", "carol")).getStatus()).isEqualTo(BackendStatus.NOT_FOUND);
    }

    @Test
    void aDocumentThatBreaksTheResponseSchemaIsInvalidResponse() {
        assertThat(call("getFilledCart", Map.of("userId", "alice")).getStatus()).isEqualTo(BackendStatus.OK);

        BackendResponse empty = call("getFilledCart", Map.of("userId", "bob"));

        assertThat(empty.getStatus()).isEqualTo(BackendStatus.INVALID_RESPONSE);
        assertThat(empty.getError()).isEqualTo("the response does not match its schema: /items: minItems");
    }

    @Test
    void findAnswersSortedAndLimitedDocuments() {
        BackendResponse response = call("recentOrders", Map.of("customerId", "alice"));

        assertThat(response.getResult()).isEqualTo("[{\"_id\":1003,\"customerId\":\"alice\",\"sku\":\"MUG-01\",\"status\":\"DELIVERED\"},"
                + "{\"_id\":1002,\"customerId\":\"alice\",\"sku\":\"TEE-02\",\"status\":\"PROCESSING\"}]");
    }

    @Test
    void aValueThatLooksLikeAnOperatorIsMatchedAsPlainData() {
        // A slot value an attacker typed, hoping to match every cart
        BackendResponse response = call("getCart", Map.of("userId", "{\"$ne\": null}"));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.NOT_FOUND);
        assertThat(call("recentOrders", Map.of("customerId", "{\"$gt\": \"\"}")).getResult()).isEqualTo("[]");
    }

    @Test
    void aggregateRunsTheFixedPipelineWithParameterValues() {
        BackendResponse response = call("orderCount", Map.of("customerId", "alice"));

        assertThat(response.getResult()).isEqualTo("[{\"_id\":\"MUG-01\",\"orders\":2},{\"_id\":\"TEE-02\",\"orders\":1}]");
    }

    @Test
    void aPipelineValueCannotNameAField() {
        BackendResponse response = call("skuOrders", Map.of("groupBy", "$customerId"));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(response.getError()).isEqualTo("parameter 'groupBy' may not start with '$' in an aggregation pipeline");
        assertThat(response.getAttempts()).isZero();
    }

    @Test
    void theSameInsertDeliveredTwiceIsAppliedOnceAndAnsweredTheSame() {
        BackendRequest review = request("shop-docs", "addReview", Map.of("userId", "alice", "sku", "MUG-01", "stars", "5"));

        BackendResponse first = connectors.call(review);
        BackendResponse redelivered = connectors.call(review);
        BackendResponse another = call("addReview", Map.of("userId", "alice", "sku", "MUG-01", "stars", "5"));

        assertThat(first.getStatus()).isEqualTo(BackendStatus.OK);
        assertThat(first.getResult()).startsWith("{\"inserted\":1,\"id\":\"");
        assertThat(redelivered.getResult()).isEqualTo(first.getResult());
        assertThat(another.getResult()).isNotEqualTo(first.getResult());
        MongoCollection<Document> reviews = shop.getCollection("reviews");
        assertThat(reviews.countDocuments()).isEqualTo(2);
        assertThat(reviews.find(Filters.eq("stars", 5)).first()).isNotNull();
    }

    @Test
    void theSameUpdateDeliveredTwiceIsAppliedOnce() {
        BackendRequest cancel = request("shop-docs", "setStatus", Map.of("orderId", "1002", "status", "CANCELLED"));

        BackendResponse first = connectors.call(cancel);
        // Someone changes the order in between: a redelivered cancel must not overwrite that
        shop.getCollection("orders").updateOne(Filters.eq("_id", 1002), new Document("$set", new Document("status", "REOPENED")));
        BackendResponse redelivered = connectors.call(cancel);

        assertThat(first.getResult()).isEqualTo("{\"matched\":1,\"updated\":1}");
        assertThat(redelivered.getResult()).isEqualTo(first.getResult());
        assertThat(shop.getCollection("orders").find(Filters.eq("_id", 1002)).first().getString("status")).isEqualTo("REOPENED");
        assertThat(call("setStatus", Map.of("orderId", "4242", "status", "CANCELLED")).getResult())
                .isEqualTo("{\"matched\":0,\"updated\":0}");
    }

    @Test
    void aBadlyTypedValueIsRefusedWithoutACall() {
        BackendResponse response = call("setStatus", Map.of("orderId", "1002 || true", "status", "CANCELLED"));

        assertThat(response.getStatus()).isEqualTo(BackendStatus.REJECTED);
        assertThat(response.getAttempts()).isZero();
    }

    @Test
    void documentsAnsweredKeepNoIdempotencyBookkeeping() {
        call("setStatus", Map.of("orderId", "1001", "status", "RETURNED"));

        assertThat(call("recentOrders", Map.of("customerId", "bob")).getResult()).doesNotContain("parley");
        assertThat(connectors.call(request("shop-docs", "recentOrders", Map.of("customerId", "alice"))).getResult())
                .doesNotContain("parleyRequests");
    }
}
