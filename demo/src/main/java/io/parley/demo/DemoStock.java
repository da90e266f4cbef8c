package io.parley.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo shop's stock as a live reference table of local mode: the compacted topic {@value #TOPIC}, keyed by SKU,
 * one JSON row per product ({@code {"sku":"MUG-01","name":"Blue mug","quantity":12,"inStock":true}}, the same fields
 * as the demo shop API's {@code GET /inventory/{sku}}). At every start local mode publishes the rows of the demo shop
 * database to it, as a change-data-capture connector would; the flow {@value #FLOWS} answers the stock question from
 * it in the turn, and the console's {@code /stock} command publishes a changed row.
 */
public final class DemoStock {

    /** The compacted topic of the stock rows. */
    public static final String TOPIC = "shop.stock";
    /** The classpath resource of the flow that declares the table and answers stock questions from it. */
    public static final String FLOWS = "demo-shop/stock-table.yaml";
    /** The row's field holding the number of items left. */
    public static final String QUANTITY = "quantity";
    /** The row's field saying whether any are left. */
    public static final String IN_STOCK = "inStock";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoStock() {
    }

    /** The rows of the demo shop database, one per product, by SKU. */
    public static List<StockLevel> rows(DataSource shop) {
        try {
            return new ShopRepository(shop).stockLevels();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the demo shop's stock: " + e.getMessage(), e);
        }
    }

    /** A stock row as the table's topic holds it. */
    public static byte[] json(StockLevel row) {
        try {
            return JSON.writeValueAsBytes(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the stock row of " + row.sku(), e);
        }
    }

    /**
     * Publishes the demo shop database's stock rows to {@value #TOPIC} and waits for the broker's acknowledgements.
     *
     * @return the rows published
     */
    public static List<StockLevel> publish(String bootstrapServers, DataSource shop) {
        List<StockLevel> rows = rows(shop);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (StockLevel row : rows) {
                producer.send(new ProducerRecord<>(TOPIC, row.sku(), json(row))).get();
            }
            return rows;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not publish the demo stock to " + TOPIC + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing the demo stock", e);
        }
    }

    /**
     * The product's row with a new stock level: {@value #QUANTITY} and {@value #IN_STOCK} set, every other field (the
     * name the entity matching uses, the SKU) kept.
     *
     * @throws IllegalArgumentException when the current row is not a JSON object (the message names the SKU, not the content)
     */
    public static byte[] withLevel(String sku, byte[] row, int level) {
        JsonNode current;
        try {
            current = JSON.readTree(row);
        } catch (IOException e) {
            current = null;
        }
        if (!(current instanceof ObjectNode object)) {
            throw new IllegalArgumentException("the row of " + sku + " in " + TOPIC + " is not a JSON object");
        }
        object.put(QUANTITY, level);
        object.put(IN_STOCK, level > 0);
        try {
            return JSON.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the stock row of " + sku, e);
        }
    }

    /** A stock level for messages: {@code MUG-01 quantity 12 (in stock)}. */
    public static String describe(String sku, int level) {
        return sku + " " + QUANTITY + " " + level + (level > 0 ? " (in stock)" : " (out of stock)");
    }
}
