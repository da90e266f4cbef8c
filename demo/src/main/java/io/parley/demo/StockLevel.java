package io.parley.demo;

/** A product's stock as the demo shop API shows it ({@code GET /inventory/{sku}}). */
public record StockLevel(String sku, String name, int quantity, boolean inStock) {
}
