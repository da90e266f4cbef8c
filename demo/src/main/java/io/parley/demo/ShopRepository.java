package io.parley.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads the demo shop database (H2 or PostgreSQL, same schema) for the demo shop API. */
public final class ShopRepository {

    private static final String ORDER = "SELECT id, customer_id, status, total, currency, placed_at, tracking_id"
            + " FROM orders WHERE id = ? AND customer_id = ?";
    private static final String ORDER_ITEMS = "SELECT p.name FROM order_items i JOIN products p ON p.sku = i.sku"
            + " WHERE i.order_id = ? ORDER BY i.line_no";
    private static final String STOCK = "SELECT p.sku, p.name, COALESCE(s.quantity, 0) AS quantity"
            + " FROM products p LEFT JOIN stock s ON s.sku = p.sku WHERE p.sku = ?";
    private static final String ALL_STOCK = "SELECT p.sku, p.name, COALESCE(s.quantity, 0) AS quantity"
            + " FROM products p LEFT JOIN stock s ON s.sku = p.sku ORDER BY p.sku";
    private static final String STORE = "SELECT id, name, opens, closes FROM stores WHERE id = ?";

    private static final String DUTY_MANAGER = "SELECT location, name, phone FROM duty_managers WHERE location = ?";

    private final DataSource dataSource;

    public ShopRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The order, when it exists and belongs to this customer. An order of someone else is
     * reported exactly like a missing one, so ids cannot be probed.
     */
    public Optional<OrderDetails> order(String orderId, String customerId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(ORDER)) {
            query.setString(1, orderId);
            query.setString(2, customerId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new OrderDetails(
                        row.getString("id"),
                        row.getString("customer_id"),
                        row.getString("status"),
                        row.getBigDecimal("total").toPlainString(),
                        row.getString("currency"),
                        row.getObject("placed_at", LocalDate.class).toString(),
                        row.getString("tracking_id"),
                        items(connection, orderId)));
            }
        }
    }

    /** The stock of a product, when the product exists; a product without a stock row has none. */
    public Optional<StockLevel> stock(String sku) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(STOCK)) {
            query.setString(1, sku);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                int quantity = row.getInt("quantity");
                return Optional.of(new StockLevel(row.getString("sku"), row.getString("name"), quantity, quantity > 0));
            }
        }
    }

    /** The stock of every product, by SKU: the rows the live stock table of local mode starts from. */
    public List<StockLevel> stockLevels() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(ALL_STOCK);
             ResultSet row = query.executeQuery()) {
            List<StockLevel> levels = new ArrayList<>();
            while (row.next()) {
                int quantity = row.getInt("quantity");
                levels.add(new StockLevel(row.getString("sku"), row.getString("name"), quantity, quantity > 0));
            }
            return levels;
        }
    }

    /** The opening hours of a store, when it exists. */
    public Optional<StoreHours> storeHours(String storeId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(STORE)) {
            query.setString(1, storeId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoreHours(row.getString("id"), row.getString("name"),
                        row.getString("opens").strip(), row.getString("closes").strip()));
            }
        }
    }

    /** The manager on duty at a location ({@code store 12}), if the shop has one there. */
    public Optional<DutyManager> dutyManager(String location) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(DUTY_MANAGER)) {
            query.setString(1, location);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DutyManager(row.getString("location"), row.getString("name"), row.getString("phone")));
            }
        }
    }

    private static List<String> items(Connection connection, String orderId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(ORDER_ITEMS)) {
            query.setString(1, orderId);
            try (ResultSet rows = query.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rows.next()) {
                    names.add(rows.getString("name"));
                }
                return names;
            }
        }
    }
}
