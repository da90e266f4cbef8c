package io.parley.demo;

import java.util.List;

/**
 * An order as the demo shop API shows it ({@code GET /orders/{orderId}}).
 *
 * @param total the amount with its two decimals, as text, so no client rounds it
 * @param placedAt the ISO date the order was placed
 * @param trackingId the shipment's tracking id, {@code null} while the order has not shipped
 * @param items the names of the ordered products, in order line order
 */
public record OrderDetails(String orderId, String customerId, String status, String total, String currency,
                           String placedAt, String trackingId, List<String> items) {

    public OrderDetails {
        items = List.copyOf(items);
    }
}
