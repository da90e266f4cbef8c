package io.parley.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.schemas.BackendRequest;
import io.parley.schemas.ReplyKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reference tables: rows from compacted topics (JSON and Debezium) answered by {@code lookup:} steps
 * in the same turn, listed by a secondary index, and naming slot values as entities.
 */
class TableLookupTest {

    private static final String STOCK = "shop.stock";
    private static final String ORDERS = "shop.orders";

    private final ProcessorDriver driver = ProcessorDriver.withFlows("flows/tables.yaml");

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aLookupIsAnsweredInTheSameTurnWithoutAWorker() {
        // Given
        driver.publishRow(STOCK, "MUG-01", "{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"level\":12}");

        // When
        driver.say("is MUG-01 in stock");

        // Then
        assertThat(driver.requests()).isEmpty();
        assertThat(driver.reply().getText()).isEqualTo("Blue mug: 12 left.");
    }

    @Test
    void aChangeOfTheTopicIsSeenByTheVeryNextTurn() {
        driver.publishRow(STOCK, "MUG-01", "{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"level\":12}");
        driver.say("is MUG-01 in stock");
        assertThat(driver.reply().getText()).isEqualTo("Blue mug: 12 left.");

        driver.publishRow(STOCK, "MUG-01", "{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"level\":3}");
        driver.say("is MUG-01 in stock");

        assertThat(driver.reply().getText()).isEqualTo("Blue mug: 3 left.");
    }

    @Test
    void aMissingRowIsNotFoundLikeABackendAnswer() {
        driver.say("is XYZ-99 in stock");

        assertThat(driver.reply().getText()).isEqualTo("I don't know a product XYZ-99.");
    }

    @Test
    void aTombstoneDeletesTheRow() {
        driver.publishRow(STOCK, "MUG-01", "{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"level\":12}");

        driver.publishRow(STOCK, "MUG-01", null);
        driver.say("is MUG-01 in stock");

        assertThat(driver.reply().getText()).isEqualTo("I don't know a product MUG-01.");
    }

    @Test
    void aLookupResultFeedsTheNextStepsCall() {
        driver.publishRow(STOCK, "CAP-03", "{\"sku\":\"CAP-03\",\"name\":\"Cap\",\"level\":5,\"store\":\"north\"}");

        driver.say("is CAP-03 in stock");

        BackendRequest request = driver.request();
        assertThat(request.getParams()).containsEntry("storeId", "north");
        driver.answer(request, "{\"opens\":\"09:00\"}");
        assertThat(driver.reply().getText()).isEqualTo("Cap: 5 left. Open 09:00.");
    }

    @Test
    void aProductNamedInTheMessageFillsTheSlotFromTheTableNames() {
        driver.publishRow(STOCK, "MUG-01", "{\"sku\":\"MUG-01\",\"name\":\"Mug\",\"synonyms\":[\"white mug\"],\"level\":1}");
        driver.publishRow(STOCK, "MUG-02", "{\"sku\":\"MUG-02\",\"name\":\"Blue mug\",\"synonyms\":[\"bleu mug\"],\"level\":7}");

        // The longest name found wins: "blue mug" over "mug"; case and diacritics do not matter.
        driver.say("Is the BLÜE Mug in stock?");
        assertThat(driver.reply().getText()).isEqualTo("Blue mug: 7 left.");

        driver.say("any mug in stock");
        assertThat(driver.reply().getText()).isEqualTo("Mug: 1 left.");
    }

    @Test
    void aNameGivenAsTheAnswerToThePromptFillsTheSlot() {
        driver.publishRow(STOCK, "MUG-02", "{\"sku\":\"MUG-02\",\"name\":\"Blue mug\",\"level\":7}");

        driver.say("what do you have in stock");
        assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.PROMPT);
        driver.say("the blue mug please");

        assertThat(driver.reply().getText()).isEqualTo("Blue mug: 7 left.");
    }

    @Test
    void theSlotPatternStillComesFirst() {
        driver.publishRow(STOCK, "MUG-01", "{\"sku\":\"MUG-01\",\"name\":\"Mug\",\"level\":1}");
        driver.publishRow(STOCK, "MUG-02", "{\"sku\":\"MUG-02\",\"name\":\"Blue mug\",\"level\":7}");

        driver.say("is the blue mug mug-01 in stock");

        assertThat(driver.reply().getText()).isEqualTo("Mug: 1 left.");
    }

    @Test
    void aRenamedRowNoLongerAnswersToItsOldName() {
        driver.publishRow(STOCK, "MUG-02", "{\"sku\":\"MUG-02\",\"name\":\"Blue mug\",\"level\":7}");
        driver.publishRow(STOCK, "MUG-02", "{\"sku\":\"MUG-02\",\"name\":\"Navy mug\",\"level\":7}");

        driver.say("is the blue mug in stock");

        assertThat(driver.reply().getKind()).isEqualTo(ReplyKind.PROMPT);
    }

    @Test
    void anEntityListFillsTheSlotByTheLongestSynonym() {
        driver.say("a tee, extra large");
        assertThat(driver.reply().getText()).isEqualTo("Size XL.");

        driver.say("a large tee");
        assertThat(driver.reply().getText()).isEqualTo("Size L.");
    }

    @Test
    void debeziumRowsAreListedByTheirIndexBoundedByTheLimit() {
        driver.publishRow(ORDERS, "{\"orderId\":1001}", debezium("c", null, order(1001, ProcessorDriver.USER, "shipped")));
        driver.publishRow(ORDERS, "{\"orderId\":1002}", debezium("c", null, order(1002, "bob", "paid")));
        driver.publishRow(ORDERS, "{\"orderId\":1003}", debezium("u", null, order(1003, ProcessorDriver.USER, "paid")));

        driver.say("show my orders");
        assertThat(driver.reply().getText()).isEqualTo("1001 shipped; 1003 paid;");

        driver.publishRow(ORDERS, "{\"orderId\":1004}", debezium("c", null, order(1004, ProcessorDriver.USER, "new")));
        driver.say("show my orders");
        assertThat(driver.reply().getText()).isEqualTo("1001 shipped; 1003 paid; and more.");
    }

    @Test
    void aDebeziumDeleteAndTombstoneRemoveTheRowAndItsIndexEntry() {
        driver.publishRow(ORDERS, "{\"orderId\":1001}", debezium("c", null, order(1001, ProcessorDriver.USER, "shipped")));
        driver.publishRow(ORDERS, "{\"orderId\":1003}", debezium("c", null, order(1003, ProcessorDriver.USER, "paid")));

        driver.publishRow(ORDERS, "{\"orderId\":1001}", debezium("d", order(1001, ProcessorDriver.USER, "shipped"), null));
        driver.say("show my orders");
        assertThat(driver.reply().getText()).isEqualTo("1003 paid;");

        // The tombstone Debezium writes after a delete, keyed by its JSON key with the schema envelope.
        driver.publishRow(ORDERS, "{\"schema\":{},\"payload\":{\"orderId\":1003}}", null);
        driver.say("show my orders");
        assertThat(driver.reply().getText()).isEqualTo("No orders.");
    }

    @Test
    void aRecordThatIsNoRowIsSkippedWithAWarningAndCounted() {
        driver.publishRowBytes(STOCK, "X".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
        driver.publishRow(STOCK, "MUG-01", "{\"name\":\"no key field\"}");
        driver.publishRow(STOCK, "MUG-01", "{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"level\":12}");

        driver.say("is MUG-01 in stock");

        assertThat(driver.reply().getText()).isEqualTo("Blue mug: 12 left.");
        assertThat(driver.counter("parley.skipped.records", "reason", "table-not-json")).isEqualTo(1);
        assertThat(driver.counter("parley.skipped.records", "reason", "table-row-without-key-field")).isEqualTo(1);
    }

    @Test
    void eachTableIsAGlobalStoreNamedAfterIt() {
        // Renaming a store would orphan it: the names are pinned
        assertThat(driver.topology().describe().globalStores())
                .extracting(store -> store.source().name() + " " + store.source().topicSet() + " " + store.processor().name() + " "
                        + store.processor().stores())
                .containsExactlyInAnyOrder("table-stock-source [shop.stock] table-stock [table-stock]",
                        "table-orders-source [shop.orders] table-orders [table-orders]");
    }

    private static String order(int id, String customer, String status) {
        return "{\"orderId\":" + id + ",\"customerId\":\"" + customer + "\",\"status\":\"" + status + "\"}";
    }

    /** A Debezium change event with its schema envelope, as the JSON converter writes it by default. */
    private static String debezium(String op, String before, String after) {
        return "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"op\":\"" + op + "\",\"before\":" + before + ",\"after\":" + after
                + ",\"source\":{\"table\":\"orders\"},\"ts_ms\":1}}";
    }

}
