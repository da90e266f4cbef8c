package io.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoStockTest {

    @Test
    void theRowsAreTheDemoShopDatabasesStockWithTheApisFields() {
        // Given the demo shop database, seeded as at every start
        try (DemoShopDatabase shop = DemoShopDatabase.startInMemory("demo-stock-test")) {
            // When the rows of the live stock table are read from it
            List<StockLevel> rows = DemoStock.rows(shop.dataSource());

            // Then they are the products' stock, and a row is the JSON the shop API shows for it
            assertThat(rows).containsExactly(new StockLevel("MUG-01", "Blue mug", 12, true),
                    new StockLevel("TEA-02", "Tea sampler", 0, false));
            assertThat(new String(DemoStock.json(rows.get(0)), StandardCharsets.UTF_8))
                    .isEqualTo("{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"quantity\":12,\"inStock\":true}");
        }
    }

    @Test
    void aNewLevelChangesQuantityAndInStockAndKeepsTheOtherFields() {
        byte[] row = "{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"quantity\":12,\"inStock\":true,\"colour\":\"blue\"}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(new String(DemoStock.withLevel("MUG-01", row, 0), StandardCharsets.UTF_8))
                .isEqualTo("{\"sku\":\"MUG-01\",\"name\":\"Blue mug\",\"quantity\":0,\"inStock\":false,\"colour\":\"blue\"}");
        assertThat(new String(DemoStock.withLevel("MUG-01", row, 3), StandardCharsets.UTF_8))
                .contains("\"quantity\":3,\"inStock\":true");
    }

    @Test
    void aRowThatIsNoJsonObjectIsRefusedNamingTheSkuNotTheContent() {
        assertThatThrownBy(() -> DemoStock.withLevel("MUG-01", "secret-ish text".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the row of MUG-01 in shop.stock is not a JSON object");
        assertThatThrownBy(() -> DemoStock.withLevel("MUG-01", "[1]".getBytes(StandardCharsets.UTF_8), 1))
                .hasMessage("the row of MUG-01 in shop.stock is not a JSON object");
    }
}
