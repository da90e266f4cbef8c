package io.parley.demo;

/**
 * A store's opening hours as the demo shop API shows it ({@code GET /stores/{storeId}/hours}).
 *
 * @param opens local opening time, {@code HH:mm}
 * @param closes local closing time, {@code HH:mm}
 */
public record StoreHours(String storeId, String name, String opens, String closes) {
}
