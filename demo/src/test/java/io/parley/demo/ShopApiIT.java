package io.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo shop API over real HTTP, reading the seeded H2 demo shop. */
class ShopApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static DemoShopDatabase database;
    private static HikariDataSource pool;
    private static ShopApi api;

    @BeforeAll
    static void startShop() {
        database = DemoShopDatabase.startInMemory("shop-api-it");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        pool = new HikariDataSource(config);
        api = ShopApi.builder(pool).start();
    }

    @AfterAll
    static void stopShop() {
        api.close();
        pool.close();
        database.close();
    }

    @AfterEach
    void noLatency() {
        api.latency(Duration.ZERO);
    }

    @Test
    void anOrderOfTheCustomerIsShownWithItsItemsAndTracking() throws Exception {
        HttpResponse<String> response = get("/orders/1001?customerId=alice");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"orderId":"1001","customerId":"alice","status":"SHIPPED","total":"42.50","currency":"EUR",
                 "placedAt":"2026-11-20","trackingId":"TRK-1001","items":["Blue mug","Tea sampler"]}"""));
    }

    @Test
    void anOrderNotShippedYetHasNoTrackingId() throws Exception {
        JsonNode order = JSON.readTree(get("/orders/1002?customerId=alice").body());

        assertThat(order.get("status").asText()).isEqualTo("PROCESSING");
        assertThat(order.get("trackingId").isNull()).isTrue();
    }

    @Test
    void someoneElsesOrderIsNotFound() throws Exception {
        HttpResponse<String> response = get("/orders/2001?customerId=alice");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"error":"Order not found","status":404}"""));
    }

    @Test
    void aMissingOrderIsNotFound() throws Exception {
        assertThat(get("/orders/9999?customerId=alice").statusCode()).isEqualTo(404);
    }

    @Test
    void anOrderCannotBeReadWithoutTheCustomer() throws Exception {
        HttpResponse<String> response = get("/orders/1001");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("customerId");
    }

    @Test
    void inventoryShowsQuantityAndWhetherInStock() throws Exception {
        HttpResponse<String> mug = get("/inventory/MUG-01");
        HttpResponse<String> tea = get("/inventory/TEA-02");

        assertThat(mug.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(mug.body())).isEqualTo(JSON.readTree("""
                {"sku":"MUG-01","name":"Blue mug","quantity":12,"inStock":true}"""));
        assertThat(JSON.readTree(tea.body())).isEqualTo(JSON.readTree("""
                {"sku":"TEA-02","name":"Tea sampler","quantity":0,"inStock":false}"""));
    }

    @Test
    void anUnknownProductIsNotFound() throws Exception {
        assertThat(get("/inventory/NOPE-00").statusCode()).isEqualTo(404);
    }

    @Test
    void storeHoursAreShown() throws Exception {
        HttpResponse<String> response = get("/stores/main/hours");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"storeId":"main","name":"Parley Shop Central","opens":"09:00","closes":"18:00"}"""));
    }

    @Test
    void theManagerOnDutyAtADeviceLocationIsShown() throws Exception {
        HttpResponse<String> response = get("/duty-manager?location=store%2012");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"location":"store 12","name":"Maria Lopez","phone":"+44 20 7946 0012"}"""));
        assertThat(get("/duty-manager?location=nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/duty-manager").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/customers/alice").statusCode()).isEqualTo(404);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/inventory/MUG-01"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void theConfiguredLatencyHoldsEveryAnswerBack() throws Exception {
        api.latency(Duration.ofMillis(700));

        long started = System.nanoTime();
        HttpResponse<String> response = get("/inventory/MUG-01");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void aRequestCanAskForItsOwnLatency() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/stores/main/hours"))
                .header(ShopApi.LATENCY_HEADER, "600ms").build(), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void aSlowAnswerDoesNotHoldBackOthers() throws Exception {
        // A slow answer of 10 s: a server that answered one request at a time would hold the fast one that long,
        // far beyond what a first, cold request takes on a loaded machine.
        var slow = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/inventory/MUG-01"))
                .header(ShopApi.LATENCY_HEADER, "10s").build(), HttpResponse.BodyHandlers.ofString());

        long started = System.nanoTime();
        HttpResponse<String> fast = get("/inventory/TEA-02");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(slow).isNotDone();
        assertThat(slow.get().statusCode()).isEqualTo(200);
    }

    @Test
    void anUnreadableLatencyHeaderIsRefused() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/inventory/MUG-01"))
                .header(ShopApi.LATENCY_HEADER, "soon").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains(ShopApi.LATENCY_HEADER);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
